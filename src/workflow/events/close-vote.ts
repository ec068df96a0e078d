import { secretariat } from '../who-may.js';
import { command } from './command.js';
import { defineEvent } from './definition.js';
import { closingTally } from './lookups.js';
import { closeVote as writeClosing } from './rows.js';

/** The secretariat closes the vote; its tally decides where the guideline goes. */
export const closeVote = defineEvent('CLOSE_VOTE', {
  command: command('CLOSE_VOTE', {}),
  who: secretariat,
  facts: async ({ db, row, snapshot }) => ({
    type: 'CLOSE_VOTE',
    ...(await closingTally(db, row, snapshot.context.round)),
  }),
  probe: async () => ({ type: 'CLOSE_VOTE' }),
  writes: (ctx) => writeClosing(ctx, ctx.event),
  recorded: (event) => (event.tally ? { result: event.tally.result } : {}),
  entry: 'plain',
  audience: ['owner', 'members', 'secretariat'],
  title: 'vote closed',
});
