import type { Kysely } from 'kysely';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import { positionSealing } from './position-sealing.js';

// The groups' positions in a round, as this reader may see them: a sealed position keeps its group
// and time but not its stance, statement or author.

export interface PositionView {
  group: string;
  round: number;
  sealed: boolean;
  stance: string | null;
  statement: string | null;
  submittedBy: string | null;
  submittedAt: Date;
}

export async function roundPositions(
  db: Kysely<Database>,
  guideline: GuidelineRow,
  reader: Account,
  round: number = guideline.round,
): Promise<PositionView[]> {
  const [rows, sealing] = await Promise.all([
    db
      .selectFrom('positions')
      .selectAll()
      .where('guideline_id', '=', guideline.id)
      .where('round', '=', round)
      .orderBy('submitted_at')
      .orderBy('id')
      .execute(),
    positionSealing(db, guideline, reader),
  ]);
  return rows.map((p) => {
    const record = { group: p.group, round: p.round };
    const shown = sealing.mayRead(record);
    return {
      group: p.group,
      round: p.round,
      sealed: sealing.sealed(record),
      stance: shown ? p.stance : null,
      statement: shown ? p.statement : null,
      submittedBy: shown ? p.submitted_by : null,
      submittedAt: p.submitted_at,
    };
  });
}

/** The position the reader just stated, as they see it. */
export async function positionStatedBy(
  db: Kysely<Database>,
  guideline: GuidelineRow,
  reader: Account,
): Promise<PositionView | undefined> {
  const row = await db
    .selectFrom('positions')
    .select('group')
    .where('guideline_id', '=', guideline.id)
    .where('round', '=', guideline.round)
    .where('submitted_by', '=', reader.id)
    .executeTakeFirst();
  if (!row) return undefined;
  return (await roundPositions(db, guideline, reader)).find((p) => p.group === row.group);
}
