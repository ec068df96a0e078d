import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

// One person's in-app notifications: a page of them newest first, and marking them read.

// Pages in (creation time to the millisecond, id) order: a cursor carries milliseconds, and the
// notifications of one event share their transaction's timestamp to the microsecond.
const createdMs = sql<Date>`date_trunc('milliseconds', n.created_at)`;

export async function listInbox(
  db: Kysely<Database>,
  recipientId: string,
  filter: { unread?: boolean | undefined },
  page: { limit: number; after?: { createdAt: string; id: string } | undefined },
) {
  let query = db
    .selectFrom('notifications as n')
    .select(['n.id', 'n.kind', 'n.guideline_id', 'n.title', 'n.data', 'n.read_at'])
    .select(createdMs.as('created_at'))
    .where('n.recipient_id', '=', recipientId)
    .orderBy(createdMs, 'desc')
    .orderBy('n.id', 'desc')
    .limit(page.limit + 1);
  if (filter.unread) query = query.where('n.read_at', 'is', null);
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where(
      sql<boolean>`(${createdMs}, n.id) < (${createdAt}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  return { items, more: rows.length > page.limit };
}

/** Marks one of the recipient's notifications read (once: a second read keeps the first time). */
export function markRead(db: Kysely<Database>, recipientId: string, id: string, now: Date) {
  return db
    .updateTable('notifications')
    .set({ read_at: sql`coalesce(read_at, ${now}::timestamptz)` })
    .where('id', '=', id)
    .where('recipient_id', '=', recipientId)
    .returning(['id', 'read_at'])
    .executeTakeFirst();
}

export async function markAllRead(db: Kysely<Database>, recipientId: string, now: Date) {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: now })
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function unreadCount(db: Kysely<Database>, recipientId: string) {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('recipient_id', '=', recipientId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
