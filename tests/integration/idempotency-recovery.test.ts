import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestHash } from '../../src/api/idempotency.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';
import { bearer, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertUser } from '../helpers/factories.js';

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

describe('an Idempotency-Key whose request died', () => {
  it('is released once its lease is over, so a retry runs instead of waiting 24 hours', async () => {
    const admin = await insertUser(t.db, { role: 'secretariat' });
    const body = {
      email: 'retried@example.org',
      name: 'Retried',
      role: 'observer',
      password: 'a long enough password',
    };
    // What a process that crashed mid-request leaves: a claim with no answer, minutes old.
    await t.db
      .insertInto('idempotency_keys')
      .values({
        user_id: admin.id,
        key: 'crashed-1',
        method: 'POST',
        path: '/api/v1/users',
        request_hash: requestHash(body),
        created_at: sql<Date>`now() - interval '10 minutes'`,
      })
      .execute();
    const retry = await fetch(`${api.url}/api/v1/users`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'crashed-1',
        ...bearer(admin),
      },
      body: JSON.stringify(body),
    });
    expect(retry.status).toBe(201);
    const row = await t.db
      .selectFrom('idempotency_keys')
      .select('status')
      .where('key', '=', 'crashed-1')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe(201);
    const again = await fetch(`${api.url}/api/v1/users`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'crashed-1',
        ...bearer(admin),
      },
      body: JSON.stringify(body),
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });
});

describe('the request hash', () => {
  it('is the hash of the canonical JSON, and does not recurse on a deeply nested body', () => {
    const shallow = { b: [1, 'two', null, { z: true, a: 1.5 }], a: 'x' };
    expect(requestHash(shallow)).toBe(
      createHash('sha256').update(canonicalJson(shallow)).digest('hex'),
    );
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(requestHash(deep)).toMatch(/^[0-9a-f]{64}$/);
  });
});
