import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import { appendAuditEntry, guidelineChain } from '../db/audit.js';
import { lockGuideline } from '../db/guideline-lock.js';
import type { Comment, Database, GuidelineRow, User } from '../db/schema.js';
import { anchorProblem, type QuoteAnchor } from '../domain/anchors.js';
import { actorOf } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import type { Disposition } from '../domain/vocabulary.js';
import {
  AnchorNotFound,
  EventForbidden,
  EventNotAllowed,
  GuidelineNotFound,
  RecordNotFound,
} from './errors.js';
import { isMeetingMember } from './standing.js';

// Comments on a guideline's current revision (SPEC section 4): made by experts and observers
// during consultation, answered by any participant while the review is open, and given a
// disposition by the owning drafter in revision.

type Deps = { db: Kysely<Database>; clock: Clock };

/** The guideline under a share lock: comments go in while no transition can happen meanwhile. */
async function shareGuideline(trx: Transaction<Database>, id: string, user: User) {
  const row = await trx
    .selectFrom('guidelines')
    .selectAll()
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();
  if (!row || !maySeeGuideline(user, visibilityFacts(row))) throw new GuidelineNotFound(id);
  return row;
}

async function isParticipant(trx: Transaction<Database>, row: GuidelineRow, user: User) {
  if (user.role === 'secretariat') return true;
  if (user.role === 'drafter') return user.id === row.owner_id;
  return isMeetingMember(trx, row.meeting_id, actorOf(user));
}

async function currentRevision(trx: Transaction<Database>, guidelineId: string) {
  return trx
    .selectFrom('revisions')
    .select(['id', 'number', 'text'])
    .where('guideline_id', '=', guidelineId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

export interface NewComment {
  body: string;
  anchor?: QuoteAnchor | undefined;
  proposedText?: string | undefined;
}

export async function postComment(
  deps: Deps,
  guidelineId: string,
  user: User,
  input: NewComment,
): Promise<Comment> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await shareGuideline(trx, guidelineId, user);
    if (user.role !== 'expert' && user.role !== 'observer') {
      throw new EventForbidden('COMMENT', 'only experts and observers comment on a guideline');
    }
    if (!(await isParticipant(trx, row, user))) {
      throw new EventForbidden(
        'COMMENT',
        'you are not a member of the meeting reviewing this guideline',
      );
    }
    if (row.state !== 'consultation') {
      throw new EventNotAllowed(
        'COMMENT',
        row.state,
        `comments are taken during consultation, not in ${row.state}`,
      );
    }
    const revision = await currentRevision(trx, row.id);
    if (input.anchor) {
      const problem = anchorProblem(revision.text, input.anchor);
      if (problem) throw new AnchorNotFound(`${problem} (revision ${revision.number})`);
    }
    return trx
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
  });
}

const repliable = ['consultation', 'deliberation', 'revision'];

export async function replyToComment(
  deps: Deps,
  commentId: string,
  user: User,
  body: string,
): Promise<Comment> {
  return deps.db.transaction().execute(async (trx) => {
    const parent = await trx
      .selectFrom('comments')
      .selectAll()
      .where('id', '=', commentId)
      .executeTakeFirst();
    if (!parent) throw new RecordNotFound('comment');
    const row = await shareGuideline(trx, parent.guideline_id, user).catch((error: unknown) => {
      throw error instanceof GuidelineNotFound ? new RecordNotFound('comment') : error;
    });
    if (!(await isParticipant(trx, row, user))) {
      throw new EventForbidden('REPLY', 'only participants in this review reply to its comments');
    }
    if (!repliable.includes(row.state)) {
      throw new EventNotAllowed(
        'REPLY',
        row.state,
        `replies are taken during consultation, deliberation and revision, not in ${row.state}`,
      );
    }
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

/**
 * The owning drafter's answer to a comment of the round under revision. It can be changed until the
 * guideline is resubmitted; each one is an entry in the guideline's audit trail.
 */
export async function disposeComment(
  deps: Deps,
  commentId: string,
  user: User,
  input: { disposition: Disposition; note?: string | undefined },
): Promise<Comment> {
  return deps.db.transaction().execute(async (trx) => {
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
    if (user.role !== 'drafter' || user.id !== row.owner_id) {
      throw new EventForbidden(
        'DISPOSE_COMMENT',
        'only the drafter who owns this guideline gives dispositions',
      );
    }
    if (row.state !== 'revision') {
      throw new EventNotAllowed(
        'DISPOSE_COMMENT',
        row.state,
        `dispositions are given in revision, not in ${row.state}`,
      );
    }
    if (comment.parent_id !== null) {
      throw new EventNotAllowed(
        'DISPOSE_COMMENT',
        row.state,
        'a reply takes no disposition: answer the comment it replies to',
      );
    }
    const consultedRound = visibilityFacts(row).consultedRound;
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
