import { secretariat } from '../who-may.js';
import { command, standIn, text } from './command.js';
import { asSent, defineEvent, recordsNothing, writesNothing } from './definition.js';

/** The secretariat sends a submission back, saying why. */
export const returnToDrafter = defineEvent('RETURN_TO_DRAFTER', {
  command: command('RETURN_TO_DRAFTER', { reason: text }),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'RETURN_TO_DRAFTER', reason: standIn }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner'],
  title: 'returned to the drafter',
});
