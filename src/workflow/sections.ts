import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// The framework's sections: the slugs a guideline names as its section.

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
