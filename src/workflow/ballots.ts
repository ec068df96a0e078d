import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { Account, Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { actorOf } from '../domain/permissions.js';
import type { BallotChoice } from '../domain/vocabulary.js';
import { restoreSnapshot } from '../machines/snapshot.js';
import { mayTakeAction } from './allowed-actions.js';
import { EventNotAllowed } from './errors.js';
import { sharedVisibleGuideline, standingOf } from './standing.js';
import { openVote } from './votes.js';

export interface CastBallot {
  choice: BallotChoice;
  castAt: Date;
  /** Whether this replaced an earlier choice of the same voter in the same vote. */
  changed: boolean;
  round: number;
  vote: number;
}

/**
 * Casts or changes the caller's ballot in the vote open on the guideline. Only an elector of that
 * vote (frozen when it opened) may; the guideline's share lock keeps the vote from closing meanwhile.
 */
export async function castBallot(
  deps: { db: Kysely<Database>; clock: Clock },
  guidelineId: string,
  user: Account,
  choice: BallotChoice,
): Promise<CastBallot> {
  return inTransaction(deps.db, async (trx) => {
    const row = await sharedVisibleGuideline(trx, guidelineId, user);
    const actor = actorOf(user);
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    mayTakeAction(actor, 'VOTE', await standingOf(trx, row, actor, { elector: true }), snapshot);
    const vote = await openVote(trx, row.id, row.round);
    // Voting always opens a vote; were it missing, there would be nothing to vote in.
    if (!vote) {
      throw new EventNotAllowed(
        'VOTE',
        row.state,
        `there is no vote open: the guideline is in ${row.state}`,
      );
    }
    const now = deps.clock.now();
    const cast = await trx
      .insertInto('ballots')
      .values({
        guideline_id: row.id,
        round: vote.round,
        vote_number: vote.number,
        voter_id: user.id,
        choice,
        cast_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['guideline_id', 'round', 'vote_number', 'voter_id'])
          .doUpdateSet({ choice, changed_at: now }),
      )
      .returning(['choice', 'cast_at', sql<boolean>`changed_at is not null`.as('changed')])
      .executeTakeFirstOrThrow();
    return {
      choice: cast.choice,
      castAt: cast.cast_at,
      changed: cast.changed,
      round: vote.round,
      vote: vote.number,
    };
  });
}
