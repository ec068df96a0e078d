import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../src/api/auth/sign-in.js';
import { addressPolicy, claimAttempt } from '../../src/api/auth/throttle.js';
import { bearer, startApi, type TestApi, testJwt, testKeys, testSecret } from '../helpers/api.js';
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

const deps = () => ({ db: t.db, keys: testKeys, jwt: testJwt });
const login = (body: unknown) =>
  fetch(`${api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const me = (token: string) =>
  fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
const statusOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 200,
    (error: { status?: number }) => error.status ?? 500,
  );

describe('the login throttle under concurrent guesses', () => {
  it('checks at most five of sixty simultaneous guesses, and refuses the right password over budget', async () => {
    const user = await insertUser(t.db);
    const guesses = Array.from({ length: 60 }, (_, i) =>
      login({ email: user.email, password: i === 59 ? testPassword : `guess ${i}` }),
    );
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    const checked = statuses.filter((s) => s !== 429);
    expect(checked.length).toBeLessThanOrEqual(5);
    expect(statuses[59]).toBe(429);
    const row = await t.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', `account:${user.email}`)
      .executeTakeFirstOrThrow();
    expect(row.failures).toBeLessThanOrEqual(5);
  });
});

describe('slowing the guesser, not the owner', () => {
  it('lets the owner in from a new address after failures elsewhere', async () => {
    const user = await insertUser(t.db, { role: 'secretariat' });
    for (let i = 0; i < 5; i++) {
      const status = await statusOf(
        signIn(deps(), { email: user.email, password: `guess ${i}`, address: '203.0.113.9' }),
      );
      expect(status).toBe(401);
    }
    const attacker = await statusOf(
      signIn(deps(), { email: user.email, password: 'guess 6', address: '203.0.113.9' }),
    );
    expect(attacker).toBe(429);
    // The account is paced, not locked: once the pace allows, the owner's right password works.
    await t.db
      .updateTable('login_throttle')
      .set({ blocked_until: new Date(Date.now() - 1000) })
      .where('key', '=', `account:${user.email}`)
      .execute();
    const owner = await signIn(deps(), {
      email: user.email,
      password: testPassword,
      address: '198.51.100.7',
    });
    expect(owner.user.id).toBe(user.id);
    // The guesser's address stays slowed, with a back-off longer than the account's pace.
    const address = await t.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', 'address:203.0.113.9')
      .executeTakeFirstOrThrow();
    expect(address.failures).toBe(6);
  });

  it('lets a meeting room of forty experts behind one address sign in at the same moment', async () => {
    const room = await Promise.all(
      Array.from({ length: 40 }, () => insertUser(t.db, { role: 'expert', group: 'workers' })),
    );
    const statuses = await Promise.all(
      room.map((u) =>
        statusOf(
          signIn(deps(), { email: u.email, password: testPassword, address: '198.51.100.20' }),
        ),
      ),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('still pauses one address once it has used its window, whatever account it tries', async () => {
    const address = '203.0.113.50';
    // The window used up by earlier sprayed guesses (each a slow hash: claimed here directly).
    for (let i = 0; i < addressPolicy.limit; i++) {
      expect(await claimAttempt(t.db, `address:${address}`, addressPolicy, new Date())).toBe(0);
    }
    const user = await insertUser(t.db);
    const next = await statusOf(
      signIn(deps(), { email: user.email, password: testPassword, address }),
    );
    expect(next).toBe(429);
  });

  it('never blocks an account for longer than its pace', async () => {
    const user = await insertUser(t.db);
    for (let i = 0; i < 8; i++)
      await statusOf(
        signIn(deps(), { email: user.email, password: `g${i}`, address: `192.0.2.${i}` }),
      );
    const row = await t.db
      .selectFrom('login_throttle')
      .selectAll()
      .where('key', '=', `account:${user.email}`)
      .executeTakeFirstOrThrow();
    expect(row.blocked_until!.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
  });
});

describe('tokens end when they should', () => {
  async function signedIn() {
    const user = await insertUser(t.db, { role: 'expert', group: 'workers' });
    const response = await login({ email: user.email, password: testPassword });
    const { token } = (await response.json()) as { token: string };
    expect(response.headers.get('cache-control')).toBe('no-store');
    return { user, token };
  }
  const secretariat = () => insertUser(t.db, { role: 'secretariat' });
  const patch = async (id: string, body: unknown, by: { id: string }) =>
    fetch(`${api.url}/api/v1/users/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', ...bearer(by) },
      body: JSON.stringify(body),
    });

  it('a password change ends earlier tokens; a token issued after it works', async () => {
    const { user, token } = await signedIn();
    const admin = await secretariat();
    expect((await patch(user.id, { password: 'another long password' }, admin)).status).toBe(200);
    expect((await me(token)).status).toBe(401);
    const again = await login({ email: user.email, password: 'another long password' });
    expect((await me(((await again.json()) as { token: string }).token)).status).toBe(200);
  });

  it('a deactivation ends tokens, and reactivation does not revive them', async () => {
    const { user, token } = await signedIn();
    const admin = await secretariat();
    expect((await patch(user.id, { active: false }, admin)).status).toBe(200);
    expect((await patch(user.id, { active: true }, admin)).status).toBe(200);
    expect((await me(token)).status).toBe(401);
  });

  it('sign out everywhere ends every earlier token, by oneself or the secretariat', async () => {
    const { user, token } = await signedIn();
    const own = await fetch(`${api.url}/api/v1/users/${user.id}/sign-out`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(own.status).toBe(200);
    expect((await me(token)).status).toBe(401);
    const stored = await t.db
      .selectFrom('users')
      .select('token_epoch')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_epoch).toBe(1);
    const other = await insertUser(t.db);
    const refused = await fetch(`${api.url}/api/v1/users/${user.id}/sign-out`, {
      method: 'POST',
      headers: bearer(other),
    });
    expect(refused.status).toBe(403);
  });

  it('refuses a validly signed token without exp', async () => {
    const user = await insertUser(t.db);
    const token = jwt.sign(
      { sub: user.id, iss: testJwt.issuer, aud: testJwt.audience },
      testSecret,
    );
    expect((await me(token)).status).toBe(401);
  });
});

describe('GET /users/:id', () => {
  it('answers the secretariat and oneself, and no one else', async () => {
    const admin = await insertUser(t.db, { role: 'secretariat' });
    const user = await insertUser(t.db);
    const other = await insertUser(t.db);
    const get = (id: string, by: { id: string }) =>
      fetch(`${api.url}/api/v1/users/${id}`, { headers: bearer(by) });
    const byAdmin = await get(user.id, admin);
    expect(byAdmin.status).toBe(200);
    expect(await byAdmin.json()).toMatchObject({ id: user.id, email: user.email });
    expect((await get(user.id, user)).status).toBe(200);
    expect((await get(user.id, other)).status).toBe(403);
    expect((await get(crypto.randomUUID(), admin)).status).toBe(404);
  });
});

describe('password hashing', () => {
  it('hashes at least at OWASP scrypt strength and upgrades a weaker stored hash at sign-in', async () => {
    const { hashPassword, passwordParameters } = await import('../../src/domain/password.js');
    expect(passwordParameters).toMatchObject({ N: 2 ** 17, r: 8, p: 1 });
    const weak = await hashPassword(testPassword, { N: 2 ** 14, r: 8, p: 1 });
    const user = await insertUser(t.db, { password_hash: weak });
    const response = await login({ email: user.email, password: testPassword });
    expect(response.status).toBe(200);
    const stored = await t.db
      .selectFrom('users')
      .select(['password_hash', 'token_epoch'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(stored.token_epoch).toBe(0); // an upgrade is not a password change
    expect((await login({ email: user.email, password: testPassword })).status).toBe(200);
  });
});
