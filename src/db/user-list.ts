import type { Kysely } from 'kysely';
import type { Group, Role } from '../domain/vocabulary.js';
import type { Database, User } from './schema.js';

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
