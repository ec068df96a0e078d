import type { Kysely } from 'kysely';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import { publishTally, tallyDisclosure } from '../domain/ballot-secrecy.js';
import type { Tally } from '../domain/tally.js';
import { RecordNotFound, TallyNotPublic } from './errors.js';
import { liveTally } from './votes.js';

// The tally of one vote on a guideline (the latest by default), cut to what this reader may see:
// see domain/ballot-secrecy.ts for who sees what of an open or a secret ballot.

export async function readTally(
  db: Kysely<Database>,
  guideline: GuidelineRow,
  reader: Account,
  which: { round?: number | undefined; vote?: number | undefined } = {},
) {
  let votes = db
    .selectFrom('votes')
    .selectAll()
    .where('guideline_id', '=', guideline.id)
    .orderBy('round', 'desc')
    .orderBy('number', 'desc')
    .limit(1);
  if (which.round !== undefined) votes = votes.where('round', '=', which.round);
  if (which.vote !== undefined) votes = votes.where('number', '=', which.vote);
  const vote = await votes.executeTakeFirst();
  if (!vote) throw new RecordNotFound('vote on this guideline');
  const open = vote.closed_at === null;
  const tally = open || !vote.tally ? await liveTally(db, vote) : (vote.tally as unknown as Tally);
  const disclosure = tallyDisclosure(reader, { open, ballot: vote.ballot }, tally);
  if (disclosure === null) {
    throw new TallyNotPublic();
  }
  return {
    round: vote.round,
    vote: vote.number,
    open,
    votingRule: vote.voting_rule,
    requiredMajority: vote.required_majority,
    quorum: vote.quorum,
    requireEachGroup: vote.require_each_group,
    ballot: vote.ballot,
    ...publishTally(tally, disclosure),
  };
}
