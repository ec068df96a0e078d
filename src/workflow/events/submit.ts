import { owningDrafter } from '../who-may.js';
import { command } from './command.js';
import { defineEvent, recordsNothing } from './definition.js';
import { freezeRevision } from './rows.js';

/** The owner sends the draft to the secretariat's check; its text is frozen as a revision. */
export const submit = defineEvent('SUBMIT', {
  command: command('SUBMIT', {}),
  who: owningDrafter('only the drafter who owns this guideline may submit it'),
  facts: async ({ row }) => ({ type: 'SUBMIT', textIsEmpty: row.text.trim().length === 0 }),
  probe: async () => ({ type: 'SUBMIT' }),
  writes: freezeRevision,
  recorded: recordsNothing,
  entry: 'submission',
  audience: ['secretariat'],
  title: 'submitted for the secretariat’s check',
});
