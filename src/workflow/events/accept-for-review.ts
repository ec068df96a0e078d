import { secretariat } from '../who-may.js';
import { command, id } from './command.js';
import { defineEvent, recordsNothing, writesNothing } from './definition.js';
import { anOpenMeeting, meetingFacts } from './lookups.js';

/** The secretariat puts the guideline before a meeting of experts: consultation opens. */
export const acceptForReview = defineEvent('ACCEPT_FOR_REVIEW', {
  command: command('ACCEPT_FOR_REVIEW', { meetingId: id }),
  who: secretariat,
  facts: async ({ db }, c) => ({ ...c, meeting: await meetingFacts(db, c.meetingId) }),
  async probe({ db }) {
    const meetingId = await anOpenMeeting(db);
    return typeof meetingId === 'string' ? { type: 'ACCEPT_FOR_REVIEW', meetingId } : meetingId;
  },
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner', 'members'],
  title: 'open for consultation',
});
