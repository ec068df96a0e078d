import type { Kysely } from 'kysely';
import type { Database, GuidelineRow, Revision } from '../db/schema.js';
import { RecordNotFound } from './errors.js';

// A guideline's frozen revisions (SPEC section 4): one per submit or resubmit, never changed.

export interface RevisionSummary {
  number: number;
  round: number;
  title: string;
  createdBy: string;
  createdAt: Date;
}

export async function listRevisions(
  db: Kysely<Database>,
  guideline: Pick<GuidelineRow, 'id'>,
): Promise<RevisionSummary[]> {
  const rows = await db
    .selectFrom('revisions')
    .select(['number', 'round', 'title', 'created_by', 'created_at'])
    .where('guideline_id', '=', guideline.id)
    .orderBy('number')
    .execute();
  return rows.map((r) => ({
    number: r.number,
    round: r.round,
    title: r.title,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function revisionOf(
  db: Kysely<Database>,
  guideline: Pick<GuidelineRow, 'id'>,
  number: number,
): Promise<Revision> {
  const row = await db
    .selectFrom('revisions')
    .selectAll()
    .where('guideline_id', '=', guideline.id)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw new RecordNotFound(`revision ${number} of this guideline`);
  return row;
}
