import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { SigningKeys } from './auth/keys.js';

// What the API is built from, made in main.ts (or a test) and handed to every route: routes depend
// on this small interface, not on the app module that assembles them all.

export interface ApiDependencies {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  keys: SigningKeys;
  jwt: Config['jwt'];
  http?: Config['http'];
}
