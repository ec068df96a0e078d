import { secretariat } from '../who-may.js';
import { command, id } from './command.js';
import { defineEvent, recordsNothing, writesNothing } from './definition.js';
import { aSessionTakingDocuments, sessionFacts } from './lookups.js';

/** The secretariat includes an adopted guideline in a Governing Body session's paper. */
export const includeInSubmission = defineEvent('INCLUDE_IN_SUBMISSION', {
  command: command('INCLUDE_IN_SUBMISSION', { gbSessionId: id }),
  who: secretariat,
  facts: async ({ db, now }, c) => ({ ...c, session: await sessionFacts(db, c.gbSessionId, now) }),
  async probe({ db, now }) {
    const gbSessionId = await aSessionTakingDocuments(db, now);
    return typeof gbSessionId === 'string'
      ? { type: 'INCLUDE_IN_SUBMISSION', gbSessionId }
      : gbSessionId;
  },
  writes: writesNothing,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['owner'],
  title: 'included in the submission to the Governing Body',
});
