import { z } from 'zod';
import { gbDecisions } from '../../domain/vocabulary.js';
import { secretariat } from '../who-may.js';
import { command, text } from './command.js';
import { asSent, defineEvent, recordsNothing } from './definition.js';
import { recordGbDecision as writeDecision } from './rows.js';

/** The secretariat records what the Governing Body decided on the guideline. */
export const recordGbDecision = defineEvent('RECORD_GB_DECISION', {
  command: command('RECORD_GB_DECISION', {
    decision: z.enum(gbDecisions),
    instructions: text.optional(),
  }),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'RECORD_GB_DECISION', decision: 'approved' as const }),
  writes: (ctx) => writeDecision(ctx, ctx.event),
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner', 'members', 'secretariat'],
  title: 'Governing Body decision recorded',
});
