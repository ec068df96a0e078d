import type { Insertable, Selectable } from 'kysely';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, StreamEventsTable } from './schema.js';

// The live stream's outbox. Rows are appended inside the event's transaction, with a NOTIFY that
// PostgreSQL (and PGlite) delivers only at commit.
//
// Ids must grow in commit order, or a reader who has seen id 11 could later miss id 10 committed
// after it. So appending first takes a transaction-level advisory lock, held to commit: ids are
// then handed out one committed transaction after another. The lock is what bounds events per
// second on PostgreSQL (a transaction that NOTIFYs is serialized at commit by PostgreSQL anyway),
// so it is taken in the transaction's last statement: the engine's stream observer runs last.

export type StreamEventRow = Selectable<StreamEventsTable>;
export type NewStreamEvent = Insertable<StreamEventsTable>;

/** The channel every API process listens on; the payload is the highest id just committed. */
export const streamChannel = 'gre_stream';
/** Arbitrary, fixed: the key of the advisory lock that orders stream ids by commit. */
const streamLockKey = 1_202_120_002;

/**
 * Appends rows and announces them at commit. Demands the event's transaction. One statement takes
 * the lock, inserts and notifies, so the lock is held for that statement and the commit only.
 */
export async function appendStreamEvents(
  trx: Transaction<Database>,
  rows: readonly NewStreamEvent[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const values = rows.map((r) => ({
    kind: r.kind,
    guideline_id: r.guideline_id ?? null,
    recipient_id: r.recipient_id ?? null,
    owner_id: r.owner_id ?? null,
    consulted_round: r.consulted_round ?? null,
    payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
  }));
  const { rows: out } = await sql<{ ids: (string | number)[] }>`
    with ordered as (select pg_advisory_xact_lock(${streamLockKey}::bigint)),
    inserted as (
      insert into stream_events (kind, guideline_id, recipient_id, owner_id, consulted_round, payload)
      select e.v ->> 'kind', (e.v ->> 'guideline_id')::uuid, (e.v ->> 'recipient_id')::uuid,
             (e.v ->> 'owner_id')::uuid, (e.v ->> 'consulted_round')::integer, e.v -> 'payload'
        from ordered, jsonb_array_elements(${JSON.stringify(values)}::jsonb) with ordinality as e (v, n)
       order by e.n
      returning id
    )
    select array_agg(id order by id) as ids, pg_notify(${streamChannel}, max(id)::text)
      from inserted
  `.execute(trx);
  return (out[0]?.ids ?? []).map(Number);
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
    .execute();
}

/** The highest id committed so far (0 when there is none). */
export async function latestStreamEventId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('stream_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Deletes rows older than `before` (by the database's time): resumption reaches back that far. */
export async function pruneStreamEvents(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('stream_events')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
