import { connect } from 'node:net';
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
          level: number;
          responseTime?: number;
        },
    );
    const of = (id: string) => entries.find((e) => e.req?.id === id);
    expect(of('login-1')).toMatchObject({
      req: { method: 'POST', url: '/api/v1/auth/login' },
      res: { statusCode: 200 },
      level: 30,
      msg: 'request completed',
    });
    expect(of('login-1')?.responseTime).toBeGreaterThanOrEqual(0);
    // A refusal is a warning; each request has exactly one line.
    expect(of('login-2')).toMatchObject({ res: { statusCode: 401 }, level: 40 });
    expect(entries.filter((e) => e.req?.id === 'login-2')).toHaveLength(1);
    expect(of('me-1')).toMatchObject({
      req: { method: 'GET', url: '/api/v1/me' },
      res: { statusCode: 200 },
    });
  });
});

describe('a request the caller gives up on', () => {
  it('is logged as aborted, at error level', async () => {
    // A body promised but never sent: the server is still reading it when the caller hangs up.
    const socket = connect(Number(new URL(api.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nX-Request-Id: gave-up-1\r\n' +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await expect
      .poll(() => lines.map((l) => JSON.parse(l)).find((e) => e.req?.id === 'gave-up-1'))
      .toMatchObject({ level: 50, msg: 'request aborted', req: { url: '/api/v1/auth/login' } });
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
      // The cause is logged with the id the caller was given, so the two can be matched.
      const cause = sink
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .find((e) => e.msg === 'unhandled error');
      expect(cause).toMatchObject({ reqId: 'boom-1', level: 50 });
      expect(cause.err).toBeDefined();
    } finally {
      await failing.close();
    }
  });
});
