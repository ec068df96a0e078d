import type { Transaction } from 'kysely';
import type { Database, GuidelineRow } from '../db/schema.js';
import { GuidelineNotFound } from './errors.js';

/**
 * Reads a guideline and locks its row until the transaction ends: `update` for a change decided on
 * the row (the careful path of an event, a text edit, a disposition), `share` for rows added beside
 * it (comments, ballots) that must not cross a transition.
 */
export async function lockGuideline(
  trx: Transaction<Database>,
  guidelineId: string,
  mode: 'update' | 'share' = 'update',
): Promise<GuidelineRow> {
  const query = trx.selectFrom('guidelines').selectAll().where('id', '=', guidelineId);
  const row = await (mode === 'update' ? query.forUpdate() : query.forShare()).executeTakeFirst();
  if (!row) throw new GuidelineNotFound(guidelineId);
  return row;
}
