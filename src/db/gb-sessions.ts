import type { Kysely } from 'kysely';
import type { Database, GbSession } from './schema.js';

export function findGbSession(db: Kysely<Database>, id: string): Promise<GbSession | undefined> {
  return db.selectFrom('gb_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every Governing Body session, latest first. */
export function listGbSessions(db: Kysely<Database>): Promise<GbSession[]> {
  return db.selectFrom('gb_sessions').selectAll().orderBy('number', 'desc').execute();
}
