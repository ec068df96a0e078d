import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { type ApiDependencies, createApp } from '../../src/api/app.js';
import type { SigningKeys } from '../../src/api/auth/keys.js';
import { issueToken } from '../../src/api/auth/tokens.js';
import { startWebServer, type WebServer } from '../../src/api/server.js';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { frozenClock } from './factories.js';

// The real Express app on a free port, with an HS256 test key.

export const testSecret = 'test-secret-of-at-least-thirty-two-characters';
export const testKeys: SigningKeys = {
  algorithm: 'HS256',
  signWith: testSecret,
  verifyWith: testSecret,
};
export const testJwt: Config['jwt'] = {
  keys: { source: 'configured', algorithm: 'HS256', secret: testSecret },
  issuer: 'gre-test',
  audience: 'gre-test-clients',
  ttlSeconds: 3600,
};

/** The Authorization header of a user signed in with the test key. */
export const bearer = (user: { id: string }) => ({
  authorization: `Bearer ${issueToken(testKeys, testJwt, user.id)}`,
});

export interface TestApi extends WebServer {
  deps: ApiDependencies;
}

export async function startApi(
  db: Kysely<Database>,
  overrides: Partial<ApiDependencies> = {},
): Promise<TestApi> {
  const deps: ApiDependencies = {
    db,
    clock: frozenClock(),
    logger: pino({ level: 'silent' }),
    keys: testKeys,
    jwt: testJwt,
    ...overrides,
  };
  const web = await startWebServer(createApp(deps), { port: 0 });
  return { ...web, deps };
}
