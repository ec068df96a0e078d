import type { Kysely } from 'kysely';
import type { ChannelChoice, Database, Language } from './schema.js';

// A user's delivery choices; a user who never chose has the defaults.

export interface Preferences {
  email: ChannelChoice;
  webhook: ChannelChoice;
  language: Language;
}

export const defaultPreferences: Preferences = {
  email: 'immediate',
  webhook: 'immediate',
  language: 'en',
};

export async function preferencesOf(db: Kysely<Database>, userId: string): Promise<Preferences> {
  const row = await db
    .selectFrom('notification_preferences')
    .select(['email', 'webhook', 'language'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ?? defaultPreferences;
}

/** Changes the choices given, keeping the others. */
export async function savePreferences(
  db: Kysely<Database>,
  userId: string,
  change: Partial<Preferences>,
  now: Date,
): Promise<Preferences> {
  const merged = { ...(await preferencesOf(db, userId)), ...change };
  return db
    .insertInto('notification_preferences')
    .values({ user_id: userId, ...merged, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...change, updated_at: now }))
    .returning(['email', 'webhook', 'language'])
    .executeTakeFirstOrThrow();
}
