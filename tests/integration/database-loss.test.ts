import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { describeOnPostgres, freshDatabase, type TestDatabase } from '../helpers/database.js';
import { storedVersion } from '../helpers/factories.js';
import { type Review, setUpReview } from '../helpers/review.js';

// A PostgreSQL restart or failover ends connections under requests in flight. Those requests fail
// with a 503 the client can retry; the process, and every other request, carries on.

describeOnPostgres('a database connection dropped under a request', () => {
  let t: TestDatabase;
  let api: TestApi;
  let r: Review;
  /** Our own connection: it holds the locks that keep a request waiting, and ends its backend. */
  let admin: pg.Client;

  beforeAll(async () => {
    t = await freshDatabase();
    api = await startApi(t.db);
    r = await setUpReview(t.db);
    if (t.target.kind !== 'postgres') throw new Error('PostgreSQL only');
    admin = new pg.Client({ connectionString: t.target.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await api?.close();
    await t?.close();
  });

  /** Sends the request while `lock` holds what it needs, ends its backend, and gives its answer. */
  async function terminatedWhileWaiting(
    lock: string,
    params: unknown[],
    send: () => Promise<Response>,
  ) {
    await admin.query('begin');
    await admin.query(lock, params);
    const answer = send();
    let terminated = 0;
    while (terminated === 0) {
      const { rows } = await admin.query<{ done: boolean }>(
        `select pg_terminate_backend(pid) as done from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`,
      );
      terminated = rows.length;
    }
    const response = await answer;
    await admin.query('rollback');
    return response;
  }

  const expectUnavailable = async (response: Response) => {
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await response.json()).toMatchObject({ code: 'unavailable', status: 503 });
  };

  it('answers a plain read 503 with Retry-After, and the next read succeeds', async () => {
    const { id } = await r.newGuideline();
    const read = () => call(api, 'GET', `/api/v1/guidelines/${id}`, { as: r.owner });
    await expectUnavailable(
      await terminatedWhileWaiting('lock table guidelines in access exclusive mode', [], read),
    );
    expect((await read()).status).toBe(200);
  });

  it('answers an event inside its transaction 503, changes nothing, and the retry applies it', async () => {
    const { id } = await r.newGuideline();
    const submit = () =>
      call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
        as: r.owner,
        body: { type: 'SUBMIT' },
        headers: { 'if-match': '"1"' },
      });
    await expectUnavailable(
      await terminatedWhileWaiting(
        'select 1 from guidelines where id = $1 for update',
        [id],
        submit,
      ),
    );
    expect(await storedVersion(t.db, id)).toBe(1);
    expect((await submit()).status).toBe(200);
    expect(await storedVersion(t.db, id)).toBe(2);
  });

  it('releases the Idempotency-Key of a request that lost its connection, so its retry runs once', async () => {
    const { id } = await r.newGuideline();
    const submit = () =>
      call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
        as: r.owner,
        body: { type: 'SUBMIT' },
        headers: { 'if-match': '"1"', 'idempotency-key': `lost-${id}` },
      });
    await expectUnavailable(
      await terminatedWhileWaiting(
        'select 1 from guidelines where id = $1 for update',
        [id],
        submit,
      ),
    );
    expect(await storedVersion(t.db, id)).toBe(1);
    const retry = await submit();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect((await submit()).headers.get('idempotent-replayed')).toBe('true');
    expect(await storedVersion(t.db, id)).toBe(2);
  });
});
