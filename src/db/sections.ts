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
