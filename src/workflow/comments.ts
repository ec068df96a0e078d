import { type Kysely, sql, type Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import type { Account, Comment, Database, GuidelineRow } from '../db/schema.js';
import { anchorProblem, type QuoteAnchor } from '../domain/anchors.js';
import { actorOf } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import {
  AnchorNotFound,
  EventForbidden,
  EventNotAllowed,
  GuidelineNotFound,
  RecordConflict,
  RecordNotFound,
} from './errors.js';
import { isMeetingMember, sharedVisibleGuideline } from './standing.js';

// Comments on a guideline's current revision (SPEC section 4): made by experts and observers
// during consultation, answered by any participant while the review is open, and given a
// disposition by the owning drafter in revision.

type Deps = { db: Kysely<Database>; clock: Clock };

async function isParticipant(trx: Transaction<Database>, row: GuidelineRow, user: Account) {
  if (user.role === 'secretariat') return true;
  if (user.role === 'drafter') return user.id === row.owner_id;
  return isMeetingMember(trx, row.meeting_id, actorOf(user));
}

export interface NewComment {
  body: string;
  anchor?: QuoteAnchor | undefined;
  proposedText?: string | undefined;
}

/** The guideline with what a comment needs, read in one statement. */
function commentTarget(db: Kysely<Database>, guidelineId: string, user: Account) {
  return db
    .selectFrom('guidelines as g')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('revisions')
          .select(['id', 'number', 'text'])
          .whereRef('guideline_id', '=', 'g.id')
          .orderBy('number', 'desc')
          .limit(1)
          .as('r'),
      (join) => join.onTrue(),
    )
    .selectAll('g')
    .select([
      'r.id as revision_id',
      'r.number as revision_number',
      'r.text as revision_text',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('meeting_members as m')
              .select('m.user_id')
              .whereRef('m.meeting_id', '=', 'g.meeting_id')
              .where('m.user_id', '=', user.id),
          )
          .as('member'),
    ])
    .where('g.id', '=', guidelineId)
    .executeTakeFirst();
}

/** What a comment is checked against: the revision under consultation in a round. */
interface ConsultedRevision {
  revisionId: string;
  revisionNumber: number;
  round: number;
  text: string;
}

// Per process, the revision last seen under consultation for each guideline. Revisions are frozen,
// so the text of a (guideline, round) never changes; whether that round is still the one under
// consultation is re-checked by the insert itself, so this is never taken on trust.
const consulted = new Map<string, ConsultedRevision>();
function remember(guidelineId: string, revision: ConsultedRevision) {
  if (consulted.size >= 1000) consulted.delete(consulted.keys().next().value as string);
  consulted.set(guidelineId, revision);
}

/**
 * The insert, in one statement that takes the guideline's share lock and checks that it is still in
 * consultation in that round and that the author sits on its meeting: no transition slips in
 * between, and comments do not queue on each other. No row back means one of those no longer holds.
 */
function insertComment(
  deps: Deps,
  guidelineId: string,
  revision: ConsultedRevision,
  user: Account,
  input: NewComment,
) {
  const anchor = input.anchor ? JSON.stringify(input.anchor) : null;
  return deps.db
    .insertInto('comments')
    .columns([
      'guideline_id',
      'revision_id',
      'round',
      'author_id',
      'author_role',
      'author_group',
      'body',
      'anchor',
      'anchor_paragraph',
      'anchor_status',
      'proposed_text',
      'created_at',
    ])
    .expression((eb) =>
      eb
        .selectFrom('guidelines as g')
        .select([
          'g.id',
          sql<string>`${revision.revisionId}::uuid`.as('revision_id'),
          'g.round',
          sql<string>`${user.id}::uuid`.as('author_id'),
          sql<string>`${user.role}::text`.as('author_role'),
          sql<string | null>`${user.group}::text`.as('author_group'),
          sql<string>`${input.body}::text`.as('body'),
          sql<string | null>`${anchor}::jsonb`.as('anchor'),
          sql<number | null>`${input.anchor?.paragraph ?? null}::int`.as('anchor_paragraph'),
          sql<string | null>`${input.anchor ? 'anchored' : null}::text`.as('anchor_status'),
          sql<string | null>`${input.proposedText ?? null}::text`.as('proposed_text'),
          sql<Date>`${deps.clock.now()}::timestamptz`.as('created_at'),
        ])
        .where('g.id', '=', guidelineId)
        .where('g.state', '=', 'consultation')
        .where('g.round', '=', revision.round)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('meeting_members as m')
              .select('m.user_id')
              .whereRef('m.meeting_id', '=', 'g.meeting_id')
              .where('m.user_id', '=', user.id),
          ),
        )
        .forShare('g'),
    )
    .returningAll()
    .executeTakeFirst();
}

/**
 * A comment on the current revision. With the revision under consultation already known, it is one
 * checked insert; otherwise, or when that insert finds things changed, the guideline is read, every
 * check runs and says why not, and the insert follows.
 */
export async function postComment(
  deps: Deps,
  guidelineId: string,
  user: Account,
  input: NewComment,
): Promise<Comment & { revision: number }> {
  if (user.role !== 'expert' && user.role !== 'observer') {
    throw new EventForbidden('COMMENT', 'only experts and observers comment on a guideline');
  }
  const known = consulted.get(guidelineId);
  if (known && (!input.anchor || !anchorProblem(known.text, input.anchor))) {
    const comment = await insertComment(deps, guidelineId, known, user, input);
    if (comment) return { ...comment, revision: known.revisionNumber };
  }
  for (let attempt = 1; ; attempt++) {
    const row = await commentTarget(deps.db, guidelineId, user);
    if (!row || !maySeeGuideline(user, visibilityFacts(row))) {
      throw new GuidelineNotFound(guidelineId);
    }
    if (!row.member) {
      throw new EventForbidden(
        'COMMENT',
        'you are not a member of the meeting reviewing this guideline',
      );
    }
    if (row.state !== 'consultation' || !row.revision_id || row.revision_number === null) {
      throw new EventNotAllowed(
        'COMMENT',
        row.state,
        `comments are taken during consultation, not in ${row.state}`,
      );
    }
    const revision: ConsultedRevision = {
      revisionId: row.revision_id,
      revisionNumber: row.revision_number,
      round: row.round,
      text: row.revision_text ?? '',
    };
    remember(row.id, revision);
    if (input.anchor) {
      const problem = anchorProblem(revision.text, input.anchor);
      if (problem) throw new AnchorNotFound(`${problem} (revision ${revision.revisionNumber})`);
    }
    const comment = await insertComment(deps, row.id, revision, user, input);
    if (comment) return { ...comment, revision: revision.revisionNumber };
    // The guideline moved on between the read and the insert: read it again and judge afresh.
    if (attempt === 3) throw new RecordConflict('The guideline keeps changing; try again.');
  }
}

const repliable = ['consultation', 'deliberation', 'revision'];

export async function replyToComment(
  deps: Deps,
  commentId: string,
  user: Account,
  body: string,
): Promise<Comment> {
  return deps.db.transaction().execute(async (trx) => {
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
