import type { Kysely } from 'kysely';
import type { Database, Vote } from '../db/schema.js';
import { type Tally, tallyVote } from '../domain/tally.js';

// Votes as stored: the one open on a guideline, and its tally from the frozen electorate and the
// ballots cast so far.

export function openVote(db: Kysely<Database>, guidelineId: string, round: number) {
  return db
    .selectFrom('votes')
    .selectAll()
    .where('guideline_id', '=', guidelineId)
    .where('round', '=', round)
    .where('closed_at', 'is', null)
    .orderBy('number', 'desc')
    .executeTakeFirst();
}

export async function liveTally(db: Kysely<Database>, vote: Vote): Promise<Tally> {
  const [electors, ballots] = await Promise.all([
    db
      .selectFrom('vote_weights')
      .select(['voter_id', 'group', 'weight'])
      .where('guideline_id', '=', vote.guideline_id)
      .where('round', '=', vote.round)
      .where('vote_number', '=', vote.number)
      .execute(),
    db
      .selectFrom('ballots')
      .select(['voter_id', 'choice'])
      .where('guideline_id', '=', vote.guideline_id)
      .where('round', '=', vote.round)
      .where('vote_number', '=', vote.number)
      .execute(),
  ]);
  return tallyVote(
    {
      votingRule: vote.voting_rule,
      requiredMajority: vote.required_majority,
      quorum: vote.quorum,
      requireEachGroup: vote.require_each_group,
    },
    vote.strength,
    electors.map((e) => ({ voterId: e.voter_id, group: e.group, weight: e.weight })),
    ballots.map((b) => ({ voterId: b.voter_id, choice: b.choice })),
  );
}
