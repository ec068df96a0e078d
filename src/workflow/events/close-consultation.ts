import { secretariat } from '../who-may.js';
import { command } from './command.js';
import { defineEvent, recordsNothing, writesNothing } from './definition.js';
import { deadlinePassed } from './lookups.js';

/** The secretariat closes the consultation: all positions are in, or its deadline has passed. */
export const closeConsultation = defineEvent('CLOSE_CONSULTATION', {
  command: command('CLOSE_CONSULTATION', {}),
  who: secretariat,
  facts: async ({ db, row, now }) => ({
    type: 'CLOSE_CONSULTATION',
    deadlinePassed: await deadlinePassed(db, row, 'consultation_deadline', now),
  }),
  probe: async () => ({ type: 'CLOSE_CONSULTATION' }),
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner', 'members', 'secretariat'],
  title: 'consultation closed',
});
