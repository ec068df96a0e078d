import { secretariat } from '../who-may.js';
import { command } from './command.js';
import { asSent, defineEvent, recordsNothing } from './definition.js';
import { openVote as writeVote } from './rows.js';

/** The secretariat opens a vote; the electorate's weights are frozen now. */
export const openVote = defineEvent('OPEN_VOTE', {
  command: command('OPEN_VOTE', {}),
  who: secretariat,
  facts: asSent,
  probe: async () => ({ type: 'OPEN_VOTE' }),
  writes: writeVote,
  recorded: recordsNothing,
  entry: 'plain',
  audience: ['members'],
  title: 'vote open',
});
