import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertUser } from '../helpers/factories.js';

// GET /api/v1/audit/head: a digest of every chain's head that a user keeps outside the system. A
// rewritten past (here the last entry of a user's chain deleted by a database superuser) no longer
// matches it, and the audit check names the chain.

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

type Head = {
  digest: string;
  chains: number;
  heads: { chain: string; seq: number; hash: string }[];
};

describe('the audit head', () => {
  it('changes when a user chain loses its last entry, and stays the same otherwise', async () => {
    const admin = await insertUser(t.db, { role: 'secretariat' });
    const head = async () => {
      const response = await call(api, 'GET', '/api/v1/audit/head', { as: admin });
      expect(response.status).toBe(200);
      return (await response.json()) as Head;
    };
    const verify = async () => {
      const response = await call(api, 'GET', '/api/v1/audit/verify', { as: admin });
      expect(response.status).toBe(200);
      return (await response.json()) as { ok: boolean; firstBreak: unknown };
    };
    const drafter = await insertUser(t.db, { role: 'drafter' });
    expect((await call(api, 'GET', '/api/v1/audit/head', { as: drafter })).status).toBe(403);

    // A user made and changed through the API: a user: chain of two entries.
    const created = await call(api, 'POST', '/api/v1/users', {
      as: admin,
      body: {
        email: 'chained@example.org',
        name: 'Chained',
        role: 'observer',
        password: 'a long enough password',
      },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const patched = await call(api, 'PATCH', `/api/v1/users/${id}`, {
      as: admin,
      body: { organisation: 'IOM' },
    });
    expect(patched.status).toBe(200);
    const chain = `user:${id}`;

    const kept = await head();
    expect(kept.heads).toContainEqual(expect.objectContaining({ chain, seq: 2 }));
    // Anyone can recompute the digest from the heads listed.
    const text = kept.heads.map((h) => `${h.chain} ${h.seq} ${h.hash}\n`).join('');
    expect(kept.digest).toBe(createHash('sha256').update(text).digest('hex'));
    expect((await head()).digest).toBe(kept.digest);
    expect((await verify()).ok).toBe(true);

    // A superuser lifts the append-only guard and deletes the chain's last entry.
    await sql`alter table audit_entries disable trigger audit_entries_append_only`.execute(t.db);
    try {
      await t.db
        .deleteFrom('audit_entries')
        .where('chain', '=', chain)
        .where('seq', '=', 2)
        .execute();
    } finally {
      await sql`alter table audit_entries enable trigger audit_entries_append_only`.execute(t.db);
    }
    const rewritten = await head();
    expect(rewritten.digest).not.toBe(kept.digest);
    expect(rewritten.heads).toContainEqual(expect.objectContaining({ chain, seq: 1 }));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ chain, problem: 'head_mismatch', seq: 2 });
  });
});
