import { type Kysely, sql } from 'kysely';

// Frozen. One person states at most one position per guideline and round: a spokesperson moved to
// another group after stating one group's position cannot speak for a second group in the same
// round. The index holds on every path into the table, concurrent ones included.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unique index positions_one_voice_per_round on positions (guideline_id, round, submitted_by)
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index positions_one_voice_per_round`.execute(db);
}
