import { secretariat } from '../who-may.js';
import { command, standIn, text } from './command.js';
import { asSent, defineEvent, recordsNothing, writesNothing } from './definition.js';

/** The secretariat sends the text back to its drafter with instructions. */
export const requestRevision = defineEvent('REQUEST_REVISION', {
  command: command('REQUEST_REVISION', { instructions: text }),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'REQUEST_REVISION', instructions: standIn }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner'],
  title: 'revision requested',
});
