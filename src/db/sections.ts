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

/** Every framework section, in the framework's order. */
export function listSections(db: Kysely<Database>) {
  return db
    .selectFrom('framework_sections')
    .select(['id', 'slug', 'number', 'title'])
    .orderBy('framework_id')
    .orderBy('number')
    .execute();
}

/** The id of the section with this slug, if there is one. */
export async function sectionIdBySlug(
  db: Kysely<Database>,
  slug: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('framework_sections')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirst();
  return row?.id;
}
