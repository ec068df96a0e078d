import { owningDrafter } from '../who-may.js';
import { command } from './command.js';
import { defineEvent, recordsNothing } from './definition.js';
import { openCommentCount } from './lookups.js';
import { freezeRevision, relocateAnchors } from './rows.js';

/** The owner sends the revised text to the next round of consultation, every comment answered. */
export const resubmit = defineEvent('RESUBMIT', {
  command: command('RESUBMIT', {}),
  who: owningDrafter('only the drafter who owns this guideline may submit it'),
  facts: async ({ db, row, snapshot }) => ({
    type: 'RESUBMIT',
    textIsEmpty: row.text.trim().length === 0,
    openComments: await openCommentCount(db, row, snapshot.context.consultedRound),
  }),
  probe: async () => ({ type: 'RESUBMIT' }),
  async writes(ctx) {
    await freezeRevision(ctx);
    // The new text moves, keeps or loses the passages comments were anchored to.
    await relocateAnchors(ctx.trx, ctx.row.id, ctx.row.text);
  },
  recorded: recordsNothing,
  entry: 'submission',
  audience: ['members', 'secretariat'],
  title: 'revised text open for consultation',
});
