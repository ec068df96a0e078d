import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { appendAuditEntry, guidelineChain } from '../db/audit.js';
import type { Account, Comment, Database } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { actorOf } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import type { Disposition } from '../domain/vocabulary.js';
import { restoreSnapshot } from '../machines/snapshot.js';
import { mayTakeAction } from './allowed-actions.js';
import { EventNotAllowed, RecordNotFound } from './errors.js';
import { lockGuideline } from './guideline-lock.js';
import { standingOf } from './standing.js';

// In revision the owning drafter answers every comment of the round (SPEC section 4): accepted,
// partially accepted, not accepted (with the reason) or noted. RESUBMIT waits for all of them.

/**
 * The owning drafter's answer to a comment of the round under revision. It can be changed until the
 * guideline is resubmitted; each one is an entry in the guideline's audit trail.
 */
export async function disposeComment(
  deps: { db: Kysely<Database>; clock: Clock },
  commentId: string,
  user: Account,
  input: { disposition: Disposition; note?: string | undefined },
): Promise<Comment> {
  return inTransaction(deps.db, async (trx) => {
    const found = await trx
      .selectFrom('comments')
      .select('guideline_id')
      .where('id', '=', commentId)
      .executeTakeFirst();
    if (!found) throw new RecordNotFound('comment');
    const row = await lockGuideline(trx, found.guideline_id);
    if (!maySeeGuideline(user, visibilityFacts(row))) throw new RecordNotFound('comment');
    const comment = await trx
      .selectFrom('comments')
      .selectAll()
      .where('id', '=', commentId)
      .executeTakeFirstOrThrow();
    const actor = actorOf(user);
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    mayTakeAction(actor, 'DISPOSE_COMMENT', await standingOf(trx, row, actor), snapshot);
    if (comment.parent_id !== null) {
      throw new EventNotAllowed(
        'DISPOSE_COMMENT',
        row.state,
        'a reply takes no disposition: answer the comment it replies to',
      );
    }
    const consultedRound = row.consulted_round;
    if (comment.round !== consultedRound) {
      throw new EventNotAllowed(
        'DISPOSE_COMMENT',
        row.state,
        `this comment belongs to round ${comment.round}, not to round ${consultedRound} under revision`,
      );
    }
    const now = deps.clock.now();
    const head = await appendAuditEntry(
      trx,
      {
        chain: guidelineChain(row.id),
        guidelineId: row.id,
        actorId: user.id,
        actorRole: user.role,
        eventType: 'DISPOSE_COMMENT',
        payload: {
          comment: comment.id,
          disposition: input.disposition,
          ...(input.note ? { note: input.note } : {}),
        },
        fromState: row.state,
        toState: row.state,
        version: row.version,
        occurredAt: now,
      },
      { seq: row.audit_seq, hash: row.audit_hash },
    );
    await trx
      .updateTable('guidelines')
      .set({ audit_seq: head.seq, audit_hash: head.hash })
      .where('id', '=', row.id)
      .execute();
    return trx
      .updateTable('comments')
      .set({
        disposition: input.disposition,
        disposition_note: input.note ?? null,
        disposed_by: user.id,
        disposed_at: now,
      })
      .where('id', '=', comment.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
