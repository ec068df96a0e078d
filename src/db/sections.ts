import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// A framework section's slug, read when a guideline is shown. It is one lookup by primary key;
// a per-process memo of it saved nothing a user could notice, so there is none.
export async function sectionSlug(db: Kysely<Database>, sectionId: string): Promise<string> {
  const { slug } = await db
    .selectFrom('framework_sections')
    .select('slug')
    .where('id', '=', sectionId)
    .executeTakeFirstOrThrow();
  return slug;
}
