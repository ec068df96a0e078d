import type { Transaction } from 'kysely';
import { GuidelineNotFound } from '../workflow/errors.js';
import type { Database, GuidelineRow } from './schema.js';

/** Reads a guideline and locks its row until the transaction ends: every change to it starts here. */
export async function lockGuideline(
  trx: Transaction<Database>,
  guidelineId: string,
): Promise<GuidelineRow> {
  const row = await trx
    .selectFrom('guidelines')
    .selectAll()
    .where('id', '=', guidelineId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new GuidelineNotFound(guidelineId);
  return row;
}
