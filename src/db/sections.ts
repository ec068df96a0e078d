import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A framework section's slug, by the section's id. */
export async function sectionSlug(db: Kysely<Database>, sectionId: string): Promise<string> {
  const { slug } = await db
    .selectFrom('framework_sections')
    .select('slug')
    .where('id', '=', sectionId)
    .executeTakeFirstOrThrow();
  return slug;
}

/** The slug every guideline view shows, remembered by the process that shows it. */
export interface SectionCatalogue {
  slugOf(sectionId: string): Promise<string>;
}

/**
 * Sections are written by migrations alone, and no statement changes a section's slug, so a slug
 * once read holds for the life of the process: nothing to invalidate. A section first met is read
 * from its row. Made in main.ts (and by the test API); it saves a round
 * trip on every answer that shows a guideline.
 */
export function sectionCatalogue(db: Kysely<Database>): SectionCatalogue {
  const slugs = new Map<string, string>();
  return {
    async slugOf(sectionId) {
      const known = slugs.get(sectionId);
      if (known !== undefined) return known;
      const slug = await sectionSlug(db, sectionId);
      slugs.set(sectionId, slug);
      return slug;
    },
  };
}
