import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { bearer, call, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertUser, testPassword } from '../helpers/factories.js';

// What reaches the log, and what never does: tokens, passwords, internals in answers.

let t: TestDatabase;
let api: TestApi;
let user: User;
let lines: string[];
beforeAll(async () => {
  t = await freshDatabase();
  lines = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  api = await startApi(t.db, { logger: createLogger('info', sink) });
  user = await insertUser(t.db, { role: 'drafter' });
});
afterAll(async () => {
  await api.close();
  await t.close();
});

describe('the request log', () => {
  it('has one line per request with its id, method, path and status, and no token or password', async () => {
    const token = bearer(user).authorization;
    await call(api, 'POST', '/api/v1/auth/login', {
      body: { email: user.email, password: testPassword },
      headers: { 'x-request-id': 'login-1' },
    });
    await call(api, 'POST', '/api/v1/auth/login', {
      body: { email: user.email, password: 'a wrong secret guess' },
      headers: { 'x-request-id': 'login-2' },
    });
    await call(api, 'GET', '/api/v1/me', { as: user, headers: { 'x-request-id': 'me-1' } });
    const log = lines.join('\n');
    for (const secret of [testPassword, 'a wrong secret guess', token.slice(7)]) {
      expect(log).not.toContain(secret);
    }
    const entries = lines.map(
      (l) =>
        JSON.parse(l) as {
          req?: { id: string; method: string; url: string };
          res?: { statusCode: number };
        },
    );
    const of = (id: string) => entries.find((e) => e.req?.id === id);
    expect(of('login-1')).toMatchObject({
      req: { method: 'POST', url: '/api/v1/auth/login' },
      res: { statusCode: 200 },
    });
    expect(of('login-2')).toMatchObject({ res: { statusCode: 401 } });
    expect(of('me-1')).toMatchObject({
      req: { method: 'GET', url: '/api/v1/me' },
      res: { statusCode: 200 },
    });
  });
});

describe('an unexpected failure', () => {
  it('answers 500 with a request id and no stack, SQL or driver message, and logs the cause', async () => {
    const broken = await freshDatabase();
    const sink: string[] = [];
    const failing = await startApi(broken.db, {
      logger: createLogger(
        'info',
        new Writable({
          write(chunk, _e, done) {
            sink.push(String(chunk));
            done();
          },
        }),
      ),
    });
    try {
      await broken.close();
      const response = await call(failing, 'GET', '/api/v1/me', {
        as: user,
        headers: { 'x-request-id': 'boom-1' },
      });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'internal_error', requestId: 'boom-1' });
      expect(text).not.toMatch(/select|users|destroyed|stack|at .*\.js/i);
      expect(sink.join('')).toMatch(/"err":/);
    } finally {
      await failing.close();
    }
  });
});
