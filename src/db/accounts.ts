import type { Kysely } from 'kysely';
import type { Account, Database } from './schema.js';

/** The users columns a request reads: the password hash stays in the database. */
export const accountColumns = [
  'id',
  'email',
  'name',
  'role',
  'group',
  'spokesperson',
  'organisation',
  'active',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof Account)[];

/** A user as requests see them, by id. */
export function findAccount(db: Kysely<Database>, id: string): Promise<Account | undefined> {
  return db.selectFrom('users').select(accountColumns).where('id', '=', id).executeTakeFirst();
}
