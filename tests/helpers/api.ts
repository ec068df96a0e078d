import express from 'express';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { apiVersion, createApp, endpoints } from '../../src/api/app.js';
import { hmacKeys, type SigningKeys } from '../../src/api/auth/keys.js';
import { issueToken } from '../../src/api/auth/tokens.js';
import type { ApiDependencies } from '../../src/api/dependencies.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { startWebServer, type WebServer } from '../../src/api/server.js';
import type { Config } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { sectionCatalogue } from '../../src/db/sections.js';
import { createStepper } from '../../src/machines/step.js';
import { boundedWork } from '../../src/workflow/bounded-work.js';
import { frozenClock } from './factories.js';
import { responseChecker } from './openapi-check.js';

// The real Express app on a free port, with an HS256 test key.

export const testSecret = 'test-secret-of-at-least-thirty-two-characters';
export const testKeys: SigningKeys = hmacKeys(testSecret);
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
  /** Answers so far that do not match the OpenAPI document. */
  violations: string[];
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
    // What main.ts makes once for a process, made here for this API.
    sections: sectionCatalogue(db),
    textWork: boundedWork(),
    step: createStepper(),
    ...overrides,
  };
  // Every answer is checked against the OpenAPI document; a mismatch fails the file at close.
  const checker = responseChecker(openApiDocument(endpoints(deps), apiVersion));
  const app = express();
  app.use(checker.middleware);
  app.use(createApp(deps));
  const web = await startWebServer(app, { port: 0 });
  return {
    ...web,
    deps,
    violations: checker.violations,
    async close(graceMs?: number) {
      await web.close(graceMs);
      await deps.textWork.close();
      if (checker.violations.length > 0) {
        throw new Error(
          `answers that break the OpenAPI document:\n${checker.violations.join('\n')}`,
        );
      }
    },
  };
}

/** A problem document without its request id, which differs on every request by design. */
export async function problemOf(response: Response): Promise<Record<string, unknown>> {
  const { requestId: _requestId, ...rest } = (await response.json()) as Record<string, unknown>;
  return rest;
}

/** One request to the API under test, as `user` (or without a token), with a JSON body if given. */
export function call(
  api: { url: string },
  method: string,
  path: string,
  options: {
    as?: { id: string } | undefined;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(options.as ? bearer(options.as) : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
}
