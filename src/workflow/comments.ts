import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import type { Account, Comment, Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { anchorProblem, type QuoteAnchor } from '../domain/anchors.js';
import { actorOf } from '../domain/permissions.js';
import { restoreSnapshot } from '../machines/snapshot.js';
import { mayTakeAction } from './allowed-actions.js';
import { AnchorNotFound, GuidelineNotFound, RecordNotFound } from './errors.js';
import { sharedVisibleGuideline, standingOf } from './standing.js';

// Comments on a guideline's current revision (SPEC section 4): made by experts and observers
// during consultation, answered by any participant while the review is open, and given a
// disposition by the owning drafter in revision.

type Deps = { db: Kysely<Database>; clock: Clock };

export interface NewComment {
  body: string;
  anchor?: QuoteAnchor | undefined;
  proposedText?: string | undefined;
}

/** The revision under consultation: the latest one frozen. */
function currentRevision(trx: Transaction<Database>, guidelineId: string) {
  return trx
    .selectFrom('revisions')
    .select(['id', 'number', 'text'])
    .where('guideline_id', '=', guidelineId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * A comment on the current revision, while the guideline's share lock keeps any transition out:
 * comments do not queue on each other, and none slips in as the consultation closes.
 */
export async function postComment(
  deps: Deps,
  guidelineId: string,
  user: Account,
  input: NewComment,
): Promise<Comment & { revision: number }> {
  return inTransaction(deps.db, async (trx) => {
    const row = await sharedVisibleGuideline(trx, guidelineId, user);
    const actor = actorOf(user);
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    mayTakeAction(actor, 'COMMENT', await standingOf(trx, row, actor), snapshot);
    const revision = await currentRevision(trx, row.id);
    // Consultation always follows a submission, which froze a revision.
    if (!revision) throw new Error('a guideline in consultation has a revision');
    if (input.anchor) {
      const problem = anchorProblem(revision.text, input.anchor);
      if (problem) throw new AnchorNotFound(`${problem} (revision ${revision.number})`);
    }
    const comment = await trx
      .insertInto('comments')
      .values({
        guideline_id: row.id,
        revision_id: revision.id,
        round: row.round,
        author_id: user.id,
        author_role: user.role,
        author_group: user.group,
        body: input.body,
        anchor: input.anchor ? JSON.stringify(input.anchor) : null,
        anchor_paragraph: input.anchor?.paragraph ?? null,
        anchor_status: input.anchor ? 'anchored' : null,
        proposed_text: input.proposedText ?? null,
        created_at: deps.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ...comment, revision: revision.number };
  });
}

export async function replyToComment(
  deps: Deps,
  commentId: string,
  user: Account,
  body: string,
): Promise<Comment> {
  return inTransaction(deps.db, async (trx) => {
    const parent = await trx
      .selectFrom('comments')
      .selectAll()
      .where('id', '=', commentId)
      .executeTakeFirst();
    if (!parent) throw new RecordNotFound('comment');
    const row = await sharedVisibleGuideline(trx, parent.guideline_id, user).catch(
      (error: unknown) => {
        throw error instanceof GuidelineNotFound ? new RecordNotFound('comment') : error;
      },
    );
    const actor = actorOf(user);
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    mayTakeAction(actor, 'REPLY', await standingOf(trx, row, actor), snapshot);
    return trx
      .insertInto('comments')
      .values({
        guideline_id: parent.guideline_id,
        revision_id: parent.revision_id,
        round: parent.round,
        parent_id: parent.id,
        author_id: user.id,
        author_role: user.role,
        author_group: user.group,
        body,
        created_at: deps.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
