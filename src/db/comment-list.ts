import type { Kysely } from 'kysely';
import type { Disposition, Group } from '../domain/vocabulary.js';
import type { Database } from './schema.js';

export interface CommentFilter {
  group?: Group | undefined;
  paragraph?: number | undefined;
  round?: number | undefined;
  /** A disposition, or 'none' for comments still without one. */
  disposition?: Disposition | 'none' | undefined;
  orphaned?: boolean | undefined;
  /** Only the replies to this comment. */
  parent?: string | undefined;
}

export interface CommentCursor {
  createdAt: string;
  id: string;
}

const columns = [
  'c.id',
  'c.guideline_id',
  'c.round',
  'c.parent_id',
  'c.author_id',
  'c.author_role',
  'c.author_group',
  'c.body',
  'c.anchor',
  'c.anchor_paragraph',
  'c.anchor_status',
  'c.proposed_text',
  'c.disposition',
  'c.disposition_note',
  'c.disposed_at',
  'c.created_at',
  'r.number as revision',
] as const;

function commentsQuery(db: Kysely<Database>) {
  return db
    .selectFrom('comments as c')
    .innerJoin('revisions as r', 'r.id', 'c.revision_id')
    .select(columns);
}
export type CommentRow = Awaited<
  ReturnType<ReturnType<typeof commentsQuery>['executeTakeFirstOrThrow']>
>;

export function commentById(db: Kysely<Database>, id: string): Promise<CommentRow> {
  return commentsQuery(db).where('c.id', '=', id).executeTakeFirstOrThrow();
}

export function findComment(db: Kysely<Database>, id: string): Promise<CommentRow | undefined> {
  return commentsQuery(db).where('c.id', '=', id).executeTakeFirst();
}

/** A guideline's comments, oldest first, a page at a time after the cursor. */
export async function listComments(
  db: Kysely<Database>,
  guidelineId: string,
  filter: CommentFilter,
  page: { limit: number; after?: CommentCursor | undefined },
): Promise<{ items: CommentRow[]; next: CommentCursor | null }> {
  let query = commentsQuery(db)
    .where('c.guideline_id', '=', guidelineId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(page.limit + 1);
  if (filter.group) query = query.where('c.author_group', '=', filter.group);
  if (filter.paragraph !== undefined)
    query = query.where('c.anchor_paragraph', '=', filter.paragraph);
  if (filter.round !== undefined) query = query.where('c.round', '=', filter.round);
  if (filter.disposition === 'none') query = query.where('c.disposition', 'is', null);
  else if (filter.disposition) query = query.where('c.disposition', '=', filter.disposition);
  if (filter.orphaned !== undefined) {
    query = filter.orphaned
      ? query.where('c.anchor_status', '=', 'orphaned')
      : query.where((eb) =>
          eb.or([eb('c.anchor_status', 'is', null), eb('c.anchor_status', '!=', 'orphaned')]),
        );
  }
  if (filter.parent) query = query.where('c.parent_id', '=', filter.parent);
  if (page.after) {
    const { createdAt, id } = page.after;
    // A row comparison, so the (…, created_at, id) indexes serve the page directly.
    query = query.where((eb) =>
      eb(eb.refTuple('c.created_at', 'c.id'), '>', eb.tuple(new Date(createdAt), id)),
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items,
    next:
      rows.length > page.limit && last
        ? { createdAt: last.created_at.toISOString(), id: last.id }
        : null,
  };
}
