import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendStreamEvents } from '../../db/stream-events.js';
import { visibilityFacts } from '../../domain/visibility.js';
import { guidelineMessage, tellAfterCommit } from './observer.js';

// Changes readers care about that are not workflow events: a comment posted, a ballot cast. They
// go out as `guideline` messages like any change, with the guideline's state as it stands; a
// ballot says only how many have voted, never who or how.

export type GuidelineActivity = 'COMMENT_POSTED' | 'BALLOT_CAST';

/** Writes the message in the change's own transaction; readers get it at commit. */
export async function publishGuidelineActivity(
  trx: Transaction<Database>,
  change: { guidelineId: string; activity: GuidelineActivity; at: Date },
): Promise<void> {
  const guideline = await trx
    .selectFrom('guidelines')
    .select(['id', 'owner_id', 'consulted_round', 'snapshot', 'state', 'round', 'version'])
    .where('id', '=', change.guidelineId)
    .executeTakeFirstOrThrow();
  const turnout =
    change.activity === 'BALLOT_CAST' ? await openVoteTurnout(trx, guideline.id) : undefined;
  const facts = visibilityFacts(guideline);
  await appendStreamEvents(trx, {
    guideline: {
      guidelineId: guideline.id,
      ownerId: facts.ownerId,
      consultedRound: facts.consultedRound,
      payload: {
        ...guidelineMessage({
          id: guideline.id,
          state: guideline.state,
          stateValue: (guideline.snapshot as { value?: unknown }).value,
          round: guideline.round,
          version: guideline.version,
          event: change.activity,
          at: change.at,
        }),
        ...(turnout === undefined ? {} : { turnout }),
      },
    },
  });
  tellAfterCommit(trx, {});
}

/** How many ballots the open vote has: the count alone. */
async function openVoteTurnout(trx: Transaction<Database>, guidelineId: string) {
  const row = await trx
    .selectFrom('votes as v')
    .innerJoin('ballots as b', (join) =>
      join
        .onRef('b.guideline_id', '=', 'v.guideline_id')
        .onRef('b.round', '=', 'v.round')
        .onRef('b.vote_number', '=', 'v.number'),
    )
    .select((eb) => eb.fn.countAll<number>().as('turnout'))
    .where('v.guideline_id', '=', guidelineId)
    .where('v.closed_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.turnout ?? 0);
}
