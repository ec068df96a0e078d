import type { Kysely } from 'kysely';
import { findAccount } from '../db/accounts.js';
import type { Account, Database, User } from '../db/schema.js';
import type { Group, Role } from '../domain/vocabulary.js';
import { RecordNotFound } from './errors.js';

// Accounts as the users routes and the live stream read them. Who may read which is the route's
// check (the secretariat, or oneself), made before anything is read.

export interface UserFilter {
  role?: Role | undefined;
  group?: Group | undefined;
  active?: boolean | undefined;
}

/** Users in e-mail order, a page at a time after the e-mail `after`. */
export async function listUsers(
  db: Kysely<Database>,
  filter: UserFilter,
  page: { limit: number; after?: string | undefined },
): Promise<{ items: User[]; next: string | null }> {
  let query = db
    .selectFrom('users')
    .selectAll()
    .orderBy('email')
    .limit(page.limit + 1);
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.group) query = query.where('group', '=', filter.group);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (page.after) query = query.where('email', '>', page.after);
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  return { items, next: rows.length > page.limit ? (items.at(-1)?.email ?? null) : null };
}

/** An account by its id; not found is an answer, not an empty one. */
export async function readAccount(db: Kysely<Database>, id: string): Promise<Account> {
  const found = await findAccount(db, id);
  if (!found) throw new RecordNotFound('user');
  return found;
}

/** The account a stream reader signs in as, when it exists and is still active. */
export async function activeAccount(
  db: Kysely<Database>,
  id: string,
): Promise<Account | undefined> {
  const found = await findAccount(db, id);
  return found?.active ? found : undefined;
}
