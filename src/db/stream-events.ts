import type { Selectable } from 'kysely';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, StreamEventsTable } from './schema.js';

// The live stream's outbox. Rows are appended inside the event's transaction, so a rolled-back
// event has none, and published afterwards.
//
// A row's id is its place in the stream, and ids must grow in the order rows become visible, or a
// reader who has seen id 11 could later miss id 10 committed after it. Ordering them at insert
// would mean holding one lock from each event's insert through its commit and fsync (and so would
// a NOTIFY in the event's transaction: PostgreSQL serializes notifying commits), which made every
// event through HTTP wait on every other. So an event's rows are inserted without an id; after its
// commit the process's own hub is told (a process without one sends a bare NOTIFY); a hub
// publishes: under a lock held only by publishers, it numbers every committed row still without an
// id, in insertion order, after the highest id so far, and NOTIFYs that id to every hub. Readers
// take published rows by id.

export type StreamEventRow = Omit<Selectable<StreamEventsTable>, 'id' | 'seq'> & { id: number };

/** The channel every API process listens on: rows were committed, or published. */
export const streamChannel = 'gre_stream';
/** Arbitrary, fixed: the key of the advisory lock that lets one publisher number rows at a time. */
const publisherLockKey = 1_202_120_002;

/** A `guideline` message: what changed, and who may see the guideline after the change. */
export interface GuidelineMessageRow {
  guidelineId: string;
  ownerId: string;
  consultedRound: number;
  payload: Record<string, unknown>;
}

/**
 * Appends, in one statement of the change's own transaction, its `guideline` message (if any) and
 * one `notification` message per in-app notification given, built from the notification rows
 * themselves; the guideline message comes first. Telling the hubs afterwards is the caller's part.
 */
export async function appendStreamEvents(
  trx: Transaction<Database>,
  change: { guideline?: GuidelineMessageRow; notificationIds?: readonly string[] },
): Promise<void> {
  const { guideline } = change;
  const notificationIds = change.notificationIds ?? [];
  if (!guideline && notificationIds.length === 0) return;
  await sql`
    insert into stream_events (kind, guideline_id, recipient_id, owner_id, consulted_round, payload)
    select m.kind, m.guideline_id, m.recipient_id, m.owner_id, m.consulted_round, m.payload
      from (
        select 0 as place, null::uuid as notification_id, 'guideline' as kind,
               ${guideline?.guidelineId ?? null}::uuid as guideline_id, null::uuid as recipient_id,
               ${guideline?.ownerId ?? null}::uuid as owner_id,
               ${guideline?.consultedRound ?? null}::integer as consulted_round,
               ${guideline ? JSON.stringify(guideline.payload) : null}::jsonb as payload
         where ${guideline !== undefined}
        union all
        select 1, n.id, 'notification', n.guideline_id, n.recipient_id, null, null,
               jsonb_build_object(
                 'id', n.id, 'kind', n.kind, 'guidelineId', n.guideline_id, 'title', n.title,
                 'body', n.body, 'data', n.data,
                 'createdAt', to_char(n.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
          from notifications n
         where n.id = any(${[...notificationIds]}::uuid[])
      ) m
     order by m.place, m.notification_id
  `.execute(trx);
}

/** Wakes every hub (in every process): rows may be waiting for an id. */
export async function signalStream(db: Kysely<Database>): Promise<void> {
  await sql`select pg_notify(${streamChannel}, '')`.execute(db);
}

/**
 * Numbers every committed row still without an id, in the order they were inserted, and announces
 * them. Publishers take turns on a lock held to their commit, and the numbering reads the highest
 * id after taking it, so ids grow in the order readers can see them. Returns the highest id now
 * published (null when there was nothing to publish). One statement, its own transaction: the
 * function (migration 20261206_10c) takes the lock, numbers the rows and notifies.
 */
export async function publishStreamEvents(db: Kysely<Database>): Promise<number | null> {
  if (db.isTransaction)
    throw new Error('publishing commits by itself: call it outside a transaction');
  const { rows } = await sql<{ last: string | number | null }>`
    select publish_stream_events(${publisherLockKey}::bigint, ${streamChannel}) as last
  `.execute(db);
  const last = rows[0]?.last;
  return last === undefined || last === null ? null : Number(last);
}

/** Every row after `after`, in id order, a page at a time. */
export function streamEventsAfter(
  db: Kysely<Database>,
  after: number,
  limit: number,
): Promise<StreamEventRow[]> {
  return db
    .selectFrom('stream_events')
    .selectAll()
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .$narrowType<{ id: number }>()
    .execute();
}

/** The rows after `after` that could be for this reader: guideline changes, and their own notifications. */
export function streamEventsForReader(
  db: Kysely<Database>,
  readerId: string,
  after: number,
  limit: number,
): Promise<StreamEventRow[]> {
  return db
    .selectFrom('stream_events')
    .selectAll()
    .where('id', '>', after)
    .where((eb) => eb.or([eb('kind', '=', 'guideline'), eb('recipient_id', '=', readerId)]))
    .orderBy('id')
    .limit(limit)
    .$narrowType<{ id: number }>()
    .execute();
}

/** The highest id published so far (0 when there is none). */
export async function latestStreamEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('stream_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Deletes published rows older than `before` (by the database's time): resumption reaches back that
 * far. The row with the highest id always stays, however old: the next ids are numbered after it,
 * so they never start again below what a reader has seen.
 */
export async function pruneStreamEvents(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('stream_events')
    .where('created_at', '<', before)
    .where('id', '<', (eb) =>
      eb.selectFrom('stream_events').select((s) => s.fn.max('id').as('top')),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
