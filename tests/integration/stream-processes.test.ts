import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.js';
import { createStreamHub, type StreamHub } from '../../src/notifications/stream/hub.js';
import { postgresStreamSource } from '../../src/notifications/stream/sources.js';
import { startApi, type TestApi } from '../helpers/api.js';
import { describeOnPostgres, freshDatabase, type TestDatabase } from '../helpers/database.js';
import { type Review, setUpReview } from '../helpers/review.js';
import { actWithStream, connectedStream } from '../helpers/stream.js';

// Two API instances on one PostgreSQL database, each with its own pool, hub and LISTEN connection,
// as two processes behind a load balancer would be: an event committed through one reaches the
// stream clients of the other.

const silent = pino({ level: 'silent' });

describeOnPostgres('the stream across API processes', () => {
  let t: TestDatabase;
  let second: DatabaseHandle;
  const hubs: StreamHub[] = [];
  const apis: TestApi[] = [];
  let r: Review;

  beforeAll(async () => {
    t = await freshDatabase();
    if (t.target.kind !== 'postgres') throw new Error('unreachable: PostgreSQL only');
    second = await openDatabase(t.target);
    r = await setUpReview(t.db);
    for (const handle of [t, second]) {
      const hub = createStreamHub({
        db: handle.db,
        source: postgresStreamSource(t.target.url, silent, { retryMs: { first: 20, max: 200 } }),
        logger: silent,
        heartbeatMs: 60_000,
      });
      await hub.start();
      hubs.push(hub);
      apis.push(await startApi(handle.db, { stream: { hub } }));
    }
  });
  afterAll(async () => {
    for (const hub of hubs) await hub.stop();
    for (const api of apis) await api.close();
    await second.close();
    await t.close();
  });

  it('an event committed through one process reaches a stream client of the other', async () => {
    const [first, other] = apis as [TestApi, TestApi];
    const here = await connectedStream(first, { as: r.secretariat });
    const there = await connectedStream(other, { as: r.secretariat });
    const { id } = await r.newGuideline();
    // Written through the first process's pool.
    await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
    for (const stream of [here, there]) {
      expect(await stream.next((m) => m.event === 'guideline')).toMatchObject({
        data: { id, event: 'SUBMIT' },
      });
      expect(await stream.next((m) => m.event === 'notification')).toMatchObject({
        data: { guidelineId: id },
      });
    }
    here.close();
    there.close();
  });

  it('a listener that loses its connection reconnects and catches up on what it missed', async () => {
    const other = apis[1]!;
    const stream = await connectedStream(other, { as: r.secretariat });
    const listeners = () =>
      sql<{ pid: number }>`
        select pid from pg_stat_activity
        where datname = current_database() and query ilike 'listen%'
      `.execute(t.db);
    const before = (await listeners()).rows.map((row) => row.pid);
    expect(before).toHaveLength(2);
    // Drops both listeners; the event commits while they are gone or reconnecting.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and query ilike 'listen%'`.execute(t.db);
    const { id } = await r.newGuideline();
    await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
    expect(await stream.next((m) => m.event === 'guideline')).toMatchObject({ data: { id } });
    const after = (await listeners()).rows.map((row) => row.pid);
    expect(after).toHaveLength(2);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
    stream.close();
  });
});
