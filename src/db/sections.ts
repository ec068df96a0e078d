import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// A framework section's slug never changes once it exists (reference data), so the slug of an id
// is remembered per process rather than read on every answer.
const slugs = new Map<string, string>();

export async function sectionSlug(db: Kysely<Database>, sectionId: string): Promise<string> {
  const known = slugs.get(sectionId);
  if (known) return known;
  const { slug } = await db
    .selectFrom('framework_sections')
    .select('slug')
    .where('id', '=', sectionId)
    .executeTakeFirstOrThrow();
  slugs.set(sectionId, slug);
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
