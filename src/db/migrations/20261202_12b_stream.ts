import { type Kysely, sql } from 'kysely';

// Frozen. The live stream's outbox and its tickets.
// stream_events: one row per message a stream may carry, written in the event's own transaction, so
// a rolled-back event has none; its id is the SSE event id, and it grows in commit order (see
// src/db/stream-events.ts), so "everything after id N" is an exact resumption point. Each guideline
// row keeps the visibility facts as they were after the event, so fan-out needs no further read.
// stream_tickets: one-use tickets for EventSource, which cannot send an Authorization header; only
// their SHA-256 is stored, so any API process can redeem one and a database read reveals none.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table stream_events (
      id bigserial primary key,
      kind text not null check (kind in ('notification', 'guideline')),
      guideline_id uuid references guidelines (id) on delete cascade,
      recipient_id uuid references users (id) on delete cascade,
      owner_id uuid,
      consulted_round integer,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      check (kind <> 'notification' or recipient_id is not null),
      check (kind <> 'guideline' or (guideline_id is not null and owner_id is not null
                                     and consulted_round is not null))
    )
  `.execute(db);
  await sql`create index stream_events_created_at on stream_events (created_at)`.execute(db);
  await sql`
    create table stream_tickets (
      hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      expires_at timestamptz not null,
      created_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index stream_tickets_expires_at on stream_tickets (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stream_tickets').execute();
  await db.schema.dropTable('stream_events').execute();
}
