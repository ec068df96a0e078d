import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { type Preferences, preferencesOf, savePreferences } from '../db/preferences.js';
import type { Account, Database } from '../db/schema.js';

// A user's own choices: per channel immediate, a daily digest or off (the inbox is always on), and
// the language of their messages.

export const myPreferences = (deps: { db: Kysely<Database> }, me: Account) =>
  preferencesOf(deps.db, me.id);

export const changeMyPreferences = (
  deps: { db: Kysely<Database>; clock: Clock },
  me: Account,
  change: Partial<Preferences>,
) => savePreferences(deps.db, me.id, change, deps.clock.now());
