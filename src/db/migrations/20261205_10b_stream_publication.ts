import { type Kysely, sql } from 'kysely';

// Frozen. Stream rows are numbered when published, not when inserted (see src/db/stream-events.ts):
// `seq` is the row's key and insertion order; `id`, its place in the stream, stays null until a
// publisher gives it. Rows already there keep their ids, so a reader's Last-Event-ID still holds.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stream_events add column seq bigserial`.execute(db);
  await sql`alter table stream_events drop constraint stream_events_pkey`.execute(db);
  await sql`alter table stream_events add primary key (seq)`.execute(db);
  await sql`alter table stream_events alter column id drop default, alter column id drop not null`.execute(
    db,
  );
  await sql`drop sequence if exists stream_events_id_seq`.execute(db);
  await sql`create unique index stream_events_id on stream_events (id)`.execute(db);
  await sql`create index stream_events_pending on stream_events (seq) where id is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from stream_events where id is null`.execute(db);
  await sql`drop index stream_events_pending`.execute(db);
  await sql`drop index stream_events_id`.execute(db);
  await sql`alter table stream_events drop constraint stream_events_pkey`.execute(db);
  await sql`alter table stream_events drop column seq`.execute(db);
  await sql`create sequence stream_events_id_seq owned by stream_events.id`.execute(db);
  await sql`select setval('stream_events_id_seq', coalesce((select max(id) from stream_events), 0) + 1, false)`.execute(
    db,
  );
  await sql`alter table stream_events alter column id set not null, alter column id set default nextval('stream_events_id_seq')`.execute(
    db,
  );
  await sql`alter table stream_events add primary key (id)`.execute(db);
}
