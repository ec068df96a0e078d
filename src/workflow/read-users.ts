import type { Kysely } from 'kysely';
import { findAccount } from '../db/accounts.js';
import type { Account, Database, User } from '../db/schema.js';
import { listUsers, type UserFilter } from '../db/user-list.js';
import { RecordNotFound } from './errors.js';

// Accounts as the users routes and the live stream read them. Who may read which is the route's
// check (the secretariat, or oneself), made before anything is read.

/** One page of accounts in e-mail order. */
export function accountPage(
  db: Kysely<Database>,
  filter: UserFilter,
  page: { limit: number; after?: string | undefined },
): Promise<{ items: User[]; next: string | null }> {
  return listUsers(db, filter, page);
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
