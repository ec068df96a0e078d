import { owningDrafterOrSecretariat } from '../who-may.js';
import { command, standIn, text } from './command.js';
import { asSent, defineEvent, recordsNothing, writesNothing } from './definition.js';

/** The owner or the secretariat ends the guideline's review, saying why. */
export const withdraw = defineEvent('WITHDRAW', {
  command: command('WITHDRAW', { reason: text }),
  who: owningDrafterOrSecretariat(
    'only the owning drafter or the secretariat may withdraw a guideline',
  ),
  facts: asSent,
  probe: async () => ({ type: 'WITHDRAW', reason: standIn }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner', 'members', 'secretariat'],
  title: 'withdrawn',
});
