import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// One-use stream tickets, stored by hash. Redeeming deletes the row in the same statement that
// checks it, so two processes racing with one ticket cannot both win.

export async function storeStreamTicket(
  db: Kysely<Database>,
  ticket: { hash: string; userId: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  // Expired tickets are cleared as new ones are issued, so the table stays small without a job.
  await db.deleteFrom('stream_tickets').where('expires_at', '<=', now).execute();
  await db
    .insertInto('stream_tickets')
    .values({ hash: ticket.hash, user_id: ticket.userId, expires_at: ticket.expiresAt })
    .execute();
}

/** The user a ticket was issued to, if it exists and has not expired; it can never be used again. */
export async function redeemStreamTicket(
  db: Kysely<Database>,
  hash: string,
  now: Date,
): Promise<string | null> {
  const row = await db
    .deleteFrom('stream_tickets')
    .where('hash', '=', hash)
    .returning(['user_id', 'expires_at'])
    .executeTakeFirst();
  if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return null;
  return row.user_id;
}
