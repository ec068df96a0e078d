import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { listInbox, markAllRead, markRead, unreadCount } from '../db/inbox.js';
import type { Account, Database } from '../db/schema.js';
import { RecordNotFound } from './errors.js';

// The caller's inbox (SPEC section 5): only one's own notifications, ever; another's is "not found".

export interface InboxDeps {
  db: Kysely<Database>;
  clock: Clock;
}

export async function inboxPage(
  deps: InboxDeps,
  reader: Account,
  filter: { unread?: boolean | undefined },
  page: { limit: number; after?: { createdAt: string; id: string } | undefined },
) {
  const [listed, unread] = await Promise.all([
    listInbox(deps.db, reader.id, filter, page),
    unreadCount(deps.db, reader.id),
  ]);
  return { ...listed, unread };
}

export async function readNotification(deps: InboxDeps, reader: Account, id: string) {
  const read = await markRead(deps.db, reader.id, id, deps.clock.now());
  if (!read) throw new RecordNotFound('notification');
  return read;
}

export const readAllNotifications = (deps: InboxDeps, reader: Account) =>
  markAllRead(deps.db, reader.id, deps.clock.now());
