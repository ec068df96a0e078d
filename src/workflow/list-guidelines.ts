import type { Kysely } from 'kysely';
import { type GuidelineFilters, listGuidelines, type PageCursor } from '../db/guideline-list.js';
import type { Database, User } from '../db/schema.js';

// The guidelines a reader may see, newest first, a page at a time (the SQL form of the visibility
// rule lives with the query; tests/integration/guideline-collection.test.ts holds the two together).

export function guidelinePage(
  db: Kysely<Database>,
  reader: Pick<User, 'id' | 'role'>,
  filters: GuidelineFilters,
  page: { limit: number; after?: PageCursor | undefined },
) {
  return listGuidelines(db, reader, filters, page);
}
