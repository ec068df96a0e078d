import type { Kysely } from 'kysely';
import type { Database, GuidelineRow } from './schema.js';

/** A guideline's row as stored, without a lock (readers; writers lock it: workflow/guideline-lock.ts). */
export function findGuideline(db: Kysely<Database>, id: string): Promise<GuidelineRow | undefined> {
  return db.selectFrom('guidelines').selectAll().where('id', '=', id).executeTakeFirst();
}
