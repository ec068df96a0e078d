import type { Kysely } from 'kysely';
import { findGuideline } from '../db/guidelines.js';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import { isUuid } from '../domain/ids.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import { GuidelineNotFound } from './errors.js';

/**
 * The guideline if the reader may see it; GuidelineNotFound otherwise, whether or not it exists, so
 * even the existence of a draft does not leak. Every read of one guideline starts here.
 */
export async function visibleGuideline(
  db: Kysely<Database>,
  reader: Account,
  id: string,
): Promise<GuidelineRow> {
  const row = isUuid(id) ? await findGuideline(db, id) : undefined;
  if (!row || !maySeeGuideline(reader, visibilityFacts(row))) throw new GuidelineNotFound(id);
  return row;
}
