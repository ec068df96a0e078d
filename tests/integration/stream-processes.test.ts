import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.js';
import { appendStreamEvents, publishStreamEvents } from '../../src/db/stream-events.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createStreamHub, type StreamHub } from '../../src/notifications/stream/hub.js';
import { tellAfterCommit } from '../../src/notifications/stream/observer.js';
import { postgresStreamSource } from '../../src/notifications/stream/sources.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { describeOnPostgres, freshDatabase, type TestDatabase } from '../helpers/database.js';
import { type Review, setUpReview } from '../helpers/review.js';
import { actWithStream, connectedStream, isData, openStream } from '../helpers/stream.js';

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
    // The streams ended with the hubs; what is left is idle keep-alive sockets.
    for (const api of apis) await api.close(500);
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

  it('an event does not wait for another still open, and is numbered by when it became visible', async () => {
    const [first, other] = apis as [TestApi, TestApi];
    const stream = await connectedStream(other, { as: r.secretariat });
    // A transaction that appends its message first and commits last.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appended!: () => void;
    const inserted = new Promise<void>((resolve) => {
      appended = resolve;
    });
    const slow = inTransaction(second.db, async (trx) => {
      const notice = await trx
        .insertInto('notifications')
        .values({
          recipient_id: r.secretariat.id,
          kind: 'test',
          guideline_id: null,
          title: 'committed last',
          data: JSON.stringify({}),
          dedupe_key: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendStreamEvents(trx, { notificationIds: [notice.id] });
      tellAfterCommit(trx, {});
      appended();
      await held;
    });
    await inserted;
    // Meanwhile an event through the other process commits, and its messages go out at once.
    const { id } = await r.newGuideline();
    await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
    const change = await stream.next((m) => m.event === 'guideline');
    expect(change.data).toMatchObject({ id, event: 'SUBMIT' });
    const notice = await stream.next((m) => m.event === 'notification');
    expect(notice.data).toMatchObject({ guidelineId: id });

    release();
    await slow;
    const late = await stream.next((m) => m.event === 'notification');
    expect(late.data).toMatchObject({ kind: 'test', title: 'committed last' });
    expect(Number(late.id)).toBeGreaterThan(Number(notice.id));
    stream.close();

    // A reader who had seen the event's messages, and reconnects, still gets the one committed last.
    const back = await connectedStream(first, { as: r.secretariat, lastEventId: notice.id! });
    expect(back.received.filter(isData).map((m) => m.id)).toEqual([late.id]);
    back.close();
  });

  it('publishers racing on two pools number every row once, and readers never see a hole', async () => {
    const { id } = await r.newGuideline();
    const marker = `race-${Date.now()}`;
    const append = (n: number, db: typeof t.db) =>
      inTransaction(db, (trx) =>
        appendStreamEvents(trx, {
          guideline: {
            guidelineId: id,
            ownerId: r.owner.id,
            consultedRound: 0,
            payload: { marker, n },
          },
        }),
      );
    // What a reader resuming by id relies on: the published ids are, at every moment, one unbroken
    // run, so a row that becomes visible never takes an id below one already read.
    const holes: string[] = [];
    let racing = true;
    const watch = (async () => {
      while (racing) {
        const { rows } = await sql<{ n: number; low: number; high: number }>`
          select count(id)::int as n, min(id)::int as low, max(id)::int as high from stream_events
        `.execute(second.db);
        const seen = rows[0];
        if (seen && seen.n > 0 && seen.high - seen.low + 1 !== seen.n) {
          holes.push(`${seen.n} ids in ${seen.low}..${seen.high}`);
        }
      }
    })();
    // Appends and publications interleave: each publication numbers whatever has committed so far.
    await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        n % 6 === 5
          ? Promise.all([publishStreamEvents(t.db), publishStreamEvents(second.db)])
          : append(n, n % 2 === 0 ? t.db : second.db),
      ),
    );
    await publishStreamEvents(t.db);
    racing = false;
    await watch;
    expect(holes).toEqual([]);
    const ids = (
      await t.db
        .selectFrom('stream_events')
        .select('id')
        .where(sql<boolean>`payload ->> 'marker' = ${marker}`)
        .execute()
    ).map((row) => Number(row.id));
    // Every row was numbered once, and nothing else took an id among them.
    expect(new Set(ids).size).toBe(50);
    expect(ids.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
    expect(Math.max(...ids) - Math.min(...ids)).toBe(49);
  });

  it('a listener that loses its connection reconnects and catches up on what it missed', async () => {
    if (t.target.kind !== 'postgres') throw new Error('unreachable: PostgreSQL only');
    // The listener signs in as a role of its own, so the test can keep it out while an event commits.
    const role = `gre_listener_${process.pid}_${Date.now()}`;
    await sql`create role ${sql.id(role)} login`.execute(t.db);
    const url = new URL(t.target.url);
    url.username = role;
    const hub = createStreamHub({
      db: t.db,
      source: postgresStreamSource(url.toString(), silent, { retryMs: { first: 20, max: 100 } }),
      logger: silent,
      heartbeatMs: 60_000,
    });
    await hub.start();
    const api = await startApi(t.db, { stream: { hub } });
    const listeners = async () =>
      (
        await sql<{ pid: number }>`
          select pid from pg_stat_activity where usename = ${role} and query ilike 'listen%'
        `.execute(t.db)
      ).rows.map((row) => row.pid);
    try {
      const stream = await connectedStream(api, { as: r.secretariat });
      const before = await listeners();
      expect(before).toHaveLength(1);

      await sql`alter role ${sql.id(role)} nologin`.execute(t.db);
      await sql`select pg_terminate_backend(pid) from pg_stat_activity where usename = ${role}`.execute(
        t.db,
      );
      // Termination is a signal: wait (bounded) until the old connection is really gone.
      for (let i = 0; i < 100 && (await listeners()).length > 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await listeners()).toEqual([]);
      const { id } = await r.newGuideline();
      await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
      await sql`alter role ${sql.id(role)} login`.execute(t.db);

      expect(await stream.next((m) => m.event === 'guideline')).toMatchObject({ data: { id } });
      const after = await listeners();
      expect(after).toHaveLength(1);
      expect(after).not.toEqual(before);
      stream.close();
    } finally {
      await hub.stop();
      await api.close();
      await sql`drop role if exists ${sql.id(role)}`.execute(t.db);
    }
  });

  it('a ticket redeemed at two processes at once opens one stream', async () => {
    const [first, other] = apis as [TestApi, TestApi];
    const issued = await call(first, 'POST', '/api/v1/stream/ticket', { as: r.observer });
    const { ticket } = (await issued.json()) as { ticket: string };
    const streams = await Promise.all([first, other].map((api) => openStream(api, { ticket })));
    expect(streams.map((s) => s.status).sort()).toEqual([200, 401]);
    const opened = streams.find((s) => s.status === 200)!;
    await opened.next((m) => m.comment === 'connected');
    opened.close();
  });
});
