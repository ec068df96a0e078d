import { type Kysely, sql } from 'kysely';
import type { Database, User } from '../db/schema.js';
import type { GuidelineState } from '../domain/vocabulary.js';

// One page of the guidelines a user may see, newest first, with keyset pagination. The visibility
// condition is the SQL form of maySeeGuideline (src/domain/visibility.ts); a test holds them together.

export interface GuidelineFilters {
  state?: GuidelineState | undefined;
  section?: string | undefined;
  meeting?: string | undefined;
}

export interface PageCursor {
  createdAt: string;
  id: string;
}

export async function listGuidelines(
  db: Kysely<Database>,
  user: Pick<User, 'id' | 'role'>,
  filters: GuidelineFilters,
  page: { limit: number; after?: PageCursor | undefined },
) {
  let query = db
    .selectFrom('guidelines as g')
    .innerJoin('framework_sections as s', 's.id', 'g.section_id')
    .select([
      'g.id',
      'g.title',
      's.slug as section',
      'g.state',
      'g.round',
      'g.version',
      'g.owner_id',
      'g.meeting_id',
      'g.gb_session_id',
      'g.created_at',
      'g.updated_at',
    ])
    .orderBy('g.created_at', 'desc')
    .orderBy('g.id', 'desc')
    .limit(page.limit + 1);
  if (user.role !== 'secretariat') {
    const consulted = sql<boolean>`g.consulted_round > 0`;
    query = query.where((eb) =>
      user.role === 'drafter' ? eb.or([eb('g.owner_id', '=', user.id), consulted]) : consulted,
    );
  }
  if (filters.state) query = query.where('g.state', '=', filters.state);
  if (filters.section) query = query.where('s.slug', '=', filters.section);
  if (filters.meeting) query = query.where('g.meeting_id', '=', filters.meeting);
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where(
      sql<boolean>`(g.created_at, g.id) < (${createdAt}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  const next: PageCursor | null =
    rows.length > page.limit && last
      ? { createdAt: last.created_at.toISOString(), id: last.id }
      : null;
  return { items, next };
}
