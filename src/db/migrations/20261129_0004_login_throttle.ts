import { type Kysely, sql } from 'kysely';

// Frozen. Failed sign-ins counted per key ('account:<email>' or 'address:<ip>') in the database, so
// every API process sees the same count.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table login_throttle (
      key text primary key,
      failures integer not null check (failures >= 0),
      window_started_at timestamptz not null,
      blocked_until timestamptz
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
