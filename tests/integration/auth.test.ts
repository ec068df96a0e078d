import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { problemOf, startApi, type TestApi, testJwt, testSecret } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertUser, testPassword } from '../helpers/factories.js';

let t: TestDatabase;
let api: TestApi;
beforeAll(async () => {
  t = await freshDatabase();
  api = await startApi(t.db);
});
afterAll(async () => {
  await api.close();
  await t.close();
});
beforeEach(async () => {
  await t.db.deleteFrom('login_throttle').execute();
});

const login = (body: unknown, init: RequestInit = {}) =>
  fetch(`${api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });
const me = (token?: string) =>
  fetch(`${api.url}/api/v1/me`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

async function signedIn(overrides = {}) {
  const user = await insertUser(t.db, { role: 'expert', group: 'workers', ...overrides });
  const response = await login({ email: user.email.toUpperCase(), password: testPassword });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { token: string; user: Record<string, unknown> };
  return { user, token: body.token, body };
}

describe('signing in', () => {
  it('gives a token and the user (never the password hash); the token opens /me', async () => {
    const { user, token, body } = await signedIn();
    expect(body.user).toEqual({
      id: user.id,
      email: user.email,
      name: user.name,
      role: 'expert',
      group: 'workers',
      spokesperson: false,
      organisation: null,
      active: true,
    });
    expect(JSON.stringify(body)).not.toContain('scrypt');
    const response = await me(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.id, role: 'expert' });
  });

  it('answers an unknown e-mail exactly as a wrong password', async () => {
    const user = await insertUser(t.db);
    const wrong = await login({ email: user.email, password: 'not the password' });
    const unknown = await login({ email: 'nobody@example.org', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await problemOf(wrong)).toEqual(await problemOf(unknown));
  });

  it('paces an account after five failures, even for the right password, and says when to retry', async () => {
    const user = await insertUser(t.db);
    for (let i = 0; i < 5; i++)
      expect((await login({ email: user.email, password: `guess ${i}` })).status).toBe(401);
    const blocked = await login({ email: user.email, password: testPassword });
    expect(blocked.status).toBe(429);
    // Paced, not locked out (issue 11, item 7): a minute, not fifteen.
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(30);
    expect(await blocked.json()).toMatchObject({ code: 'too_many_requests' });
    const row = await t.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', `account:${user.email}`)
      .executeTakeFirstOrThrow();
    expect(row.failures).toBe(5);
  });

  it('refuses a body with unknown fields, a body that is not JSON, and one over 1 MiB — each changing nothing', async () => {
    const user = await insertUser(t.db);
    const extra = await login({ email: user.email, password: testPassword, role: 'secretariat' });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body' }],
    });
    const form = await fetch(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      body: 'email=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const broken = await login(undefined, { body: '{"email": ' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ code: 'bad_request' });
    const huge = await login({ email: user.email, password: 'x'.repeat(1024 * 1024 + 10) });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await t.db.selectFrom('login_throttle').selectAll().execute()).toEqual([]);
  });
});

describe('tokens', () => {
  it('a missing token is a 401 that says how to sign in', async () => {
    const response = await me();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' });
  });

  it('a deactivated account loses access at once, and cannot sign in again', async () => {
    const { user, token } = await signedIn();
    await t.db.updateTable('users').set({ active: false }).where('id', '=', user.id).execute();
    expect((await me(token)).status).toBe(401);
    expect((await login({ email: user.email, password: testPassword })).status).toBe(401);
  });

  it('a change of role after the token was issued takes effect on the next request', async () => {
    const { user, token } = await signedIn();
    await t.db
      .updateTable('users')
      .set({ role: 'observer', group: null })
      .where('id', '=', user.id)
      .execute();
    expect(await (await me(token)).json()).toMatchObject({ role: 'observer', group: null });
  });

  it('refuses every token that is not exactly what the server issues', async () => {
    const { user } = await signedIn();
    const claims = { sub: user.id, iss: testJwt.issuer, aud: testJwt.audience };
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.`;
    const forged = {
      'alg none': unsigned,
      'another secret': jwt.sign(claims, 'another-secret-of-at-least-thirty-two-chars', {
        expiresIn: 600,
      }),
      'RS256 where HS256 is pinned': jwt.sign(claims, privateKey, {
        algorithm: 'RS256',
        expiresIn: 600,
      }),
      'HS256 keyed with a public key': jwt.sign(claims, publicPem, {
        algorithm: 'HS256',
        expiresIn: 600,
      }),
      expired: jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, testSecret),
      'not yet valid': jwt.sign(
        { ...claims, nbf: Math.floor(Date.now() / 1000) + 600 },
        testSecret,
        { expiresIn: 1200 },
      ),
      'wrong issuer': jwt.sign({ ...claims, iss: 'someone-else' }, testSecret, { expiresIn: 600 }),
      'wrong audience': jwt.sign({ ...claims, aud: 'another-app' }, testSecret, { expiresIn: 600 }),
      'no subject': jwt.sign({ iss: claims.iss, aud: claims.aud }, testSecret, { expiresIn: 600 }),
      'a subject that is not a user id': jwt.sign({ ...claims, sub: "1' or '1'='1" }, testSecret, {
        expiresIn: 600,
      }),
    };
    const statuses = Object.fromEntries(
      await Promise.all(
        Object.entries(forged).map(async ([name, token]) => [name, (await me(token)).status]),
      ),
    );
    expect(statuses).toEqual(Object.fromEntries(Object.keys(forged).map((name) => [name, 401])));
    // The genuine article still works, so the refusals above are about the tokens.
    expect((await me(jwt.sign(claims, testSecret, { expiresIn: 600 }))).status).toBe(200);
  });

  it('a token in use stops working the second it expires, and a tampered copy never works', async () => {
    const { user } = await signedIn();
    const claims = { sub: user.id, iss: testJwt.issuer, aud: testJwt.audience };
    const token = jwt.sign(claims, testSecret, { expiresIn: 600 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // The server remembers tokens it has verified; only the very same text may profit from it.
    expect((await me(token)).status).toBe(200);
    const other = jwt.sign({ ...claims, sub: (await signedIn()).user.id }, 'x'.repeat(40));
    expect((await me(`${header}.${other.split('.')[1]}.${signature}`)).status).toBe(401);
    expect((await me(`${header}.${payload}.${signature.slice(0, -2)}AA`)).status).toBe(401);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { exp } = jwt.decode(token) as { exp: number };
      vi.setSystemTime(exp * 1000 - 1);
      expect((await me(token)).status).toBe(200);
      vi.setSystemTime(exp * 1000);
      expect((await me(token)).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });
});
