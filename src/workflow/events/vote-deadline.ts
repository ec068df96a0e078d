import { systemTimer } from '../who-may.js';
import { command } from './command.js';
import { defineEvent } from './definition.js';
import { closingTally, deadlinePassed } from './lookups.js';
import { closeVote } from './rows.js';

/** The system timer closes the vote at its deadline, as the secretariat would by hand. */
export const voteDeadline = defineEvent('VOTE_DEADLINE', {
  command: command('VOTE_DEADLINE', {}),
  who: systemTimer,
  facts: async ({ db, row, snapshot, now }) => ({
    type: 'VOTE_DEADLINE',
    ...(await closingTally(db, row, snapshot.context.round)),
    deadlinePassed: await deadlinePassed(db, row, 'vote_deadline', now),
  }),
  probe: async () => ({ type: 'VOTE_DEADLINE' }),
  writes: (ctx) => closeVote(ctx, ctx.event),
  recorded: (event) => (event.tally ? { result: event.tally.result } : {}),
  entry: 'plain',
  audience: ['owner', 'members', 'secretariat'],
  title: 'vote closed at its deadline',
});
