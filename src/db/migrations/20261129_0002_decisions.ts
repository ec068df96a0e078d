import { type Kysely, sql } from 'kysely';

// Frozen. The outcomes the dossier reports per guideline: consensus recorded in deliberation, and
// the Governing Body's decision on each submitted guideline.

const schema = [
  sql`
    create table consensus_records (
      guideline_id uuid not null references guidelines (id),
      round integer not null check (round > 0),
      summary text not null check (length(trim(summary)) > 0),
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null,
      primary key (guideline_id, round)
    )
  `,
  sql`
    create table gb_decisions (
      id uuid primary key default gen_random_uuid(),
      guideline_id uuid not null references guidelines (id),
      gb_session_id uuid not null references gb_sessions (id),
      decision text not null check (decision in ('approved', 'referred_back', 'deferred')),
      instructions text,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null
    )
  `,
  sql`create index gb_decisions_guideline on gb_decisions (guideline_id, recorded_at)`,
  sql`create index gb_decisions_session on gb_decisions (gb_session_id, guideline_id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of schema) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('gb_decisions').execute();
  await db.schema.dropTable('consensus_records').execute();
}
