import { type Kysely, sql } from 'kysely';

// Frozen. Publishing the live stream's rows (src/db/stream-events.ts) becomes one statement: a
// function that takes the publishers' lock, then numbers the pending rows with a snapshot taken
// after the lock (each statement of a PL/pgSQL function reads afresh under READ COMMITTED), and
// NOTIFYs the last id. Called outside a transaction, it commits by itself: one round trip, where
// begin, lock, update and commit took four.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function publish_stream_events(lock_key bigint, channel text) returns bigint
    language plpgsql as $$
    declare
      last bigint;
    begin
      perform pg_advisory_xact_lock(lock_key);
      with pending as (
        select seq, row_number() over (order by seq) as n
          from stream_events where id is null
      ),
      top as (select coalesce(max(id), 0) as id from stream_events),
      published as (
        update stream_events s set id = top.id + pending.n
          from pending, top
         where s.seq = pending.seq
        returning s.id
      )
      select max(id) into last from published;
      if last is not null then
        perform pg_notify(channel, last::text);
      end if;
      return last;
    end
    $$
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function publish_stream_events(bigint, text)`.execute(db);
}
