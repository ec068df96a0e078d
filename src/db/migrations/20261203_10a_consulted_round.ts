import { type Kysely, sql } from 'kysely';

// Frozen. The last round that went to consultation, a column of its own: listings filter on it
// (who may see a guideline), so it must not be a path into the machine's snapshot JSON, where
// renaming a context field would break them silently. The engine writes it with the snapshot.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table guidelines add column consulted_round integer not null default 0 check (consulted_round >= 0)`.execute(
    db,
  );
  await sql`update guidelines set consulted_round = coalesce((snapshot->'context'->>'consultedRound')::int, 0)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('guidelines').dropColumn('consulted_round').execute();
}
