import { type Kysely, sql } from 'kysely';

// Frozen. Deadlines and reminders as durable timers (SPEC section 5), and the scenario clock's
// stored position.
// timers: one row per deadline or reminder, written in the transaction of the event that opened
// its stage; `due_at` is scenario time. A worker fires what is due (claimed with skip locked, so
// several processes never fire one twice) and records the outcome; moving a deadline cancels the
// pending ones and writes new ones; a stage that ends early cancels its own.
// scenario_clock: one row, the scenario instant the clock last stood at, so a restart resumes it.
// meetings.reminder_offsets: ISO 8601 durations before each deadline.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table timers (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('consultation_deadline', 'consultation_reminder',
                                         'vote_deadline', 'vote_reminder', 'gb_document_reminder')),
      guideline_id uuid references guidelines (id) on delete cascade,
      gb_session_id uuid references gb_sessions (id) on delete cascade,
      round integer,
      due_at timestamptz not null,
      -- For a reminder, how long before its deadline (an ISO 8601 duration).
      offset_before text,
      created_at timestamptz not null default now(),
      fired_at timestamptz,
      cancelled_at timestamptz,
      outcome text,
      attempts integer not null default 0,
      last_error text,
      check (guideline_id is not null or gb_session_id is not null)
    )
  `.execute(db);
  await sql`
    create index timers_due on timers (due_at)
     where fired_at is null and cancelled_at is null
  `.execute(db);
  await sql`create index timers_guideline on timers (guideline_id)`.execute(db);
  await sql`create index timers_gb_session on timers (gb_session_id)`.execute(db);
  await sql`
    create table scenario_clock (
      id integer primary key check (id = 1),
      -- The CLOCK_START it began at: another start instant begins the scenario anew.
      started_from timestamptz not null,
      stands_at timestamptz not null,
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    alter table meetings
      add column reminder_offsets jsonb not null default '["P7D", "P1D"]'::jsonb
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table meetings drop column reminder_offsets`.execute(db);
  await sql`drop table scenario_clock`.execute(db);
  await sql`drop table timers`.execute(db);
}
