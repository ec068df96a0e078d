import { systemTimer } from '../who-may.js';
import { command } from './command.js';
import { defineEvent, recordsNothing, writesNothing } from './definition.js';
import { deadlinePassed } from './lookups.js';

/** The system timer closes the consultation at its deadline (a moved deadline is re-checked). */
export const consultationDeadline = defineEvent('CONSULTATION_DEADLINE', {
  command: command('CONSULTATION_DEADLINE', {}),
  who: systemTimer,
  facts: async ({ db, row, now }) => ({
    type: 'CONSULTATION_DEADLINE',
    deadlinePassed: await deadlinePassed(db, row, 'consultation_deadline', now),
  }),
  probe: async () => ({ type: 'CONSULTATION_DEADLINE' }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner', 'members', 'secretariat'],
  title: 'consultation deadline reached',
});
