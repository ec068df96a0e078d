import { secretariat } from '../who-may.js';
import { command, standIn, text } from './command.js';
import { asSent, defineEvent, recordsNothing } from './definition.js';
import { recordConsensus as writeConsensus } from './rows.js';

/** The secretariat records the meeting's consensus: the guideline is adopted. */
export const recordConsensus = defineEvent('RECORD_CONSENSUS', {
  command: command('RECORD_CONSENSUS', { summary: text }),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'RECORD_CONSENSUS', summary: standIn }),
  writes: (ctx) => writeConsensus(ctx, ctx.event.summary),
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner', 'members'],
  title: 'adopted by consensus',
});
