import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { listSections, sectionIdBySlug } from '../db/sections.js';

// The framework's sections: the slugs a guideline names as its section.

/** Every section, in the framework's order. */
export const frameworkSections = (db: Kysely<Database>) => listSections(db);

/** The id of the section a slug names, if any does. */
export const sectionNamed = (db: Kysely<Database>, slug: string) => sectionIdBySlug(db, slug);
