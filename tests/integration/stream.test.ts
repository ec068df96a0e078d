import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { pruneStreamEvents } from '../../src/db/stream-events.js';
import { inTransaction } from '../../src/db/transaction.js';
import { publishGuidelineActivity } from '../../src/notifications/stream/activity.js';
import { createStreamHub, type StreamHub } from '../../src/notifications/stream/hub.js';
import { streamObserver } from '../../src/notifications/stream/observer.js';
import {
  pgliteStreamSource,
  postgresStreamSource,
  type StreamSource,
} from '../../src/notifications/stream/sources.js';
import { call, problemOf, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertUser } from '../helpers/factories.js';
import { type Review, setUpReview, statePositions } from '../helpers/review.js';
import { actWithStream, connectedStream, isData, openStream } from '../helpers/stream.js';

// The live stream on the real app and the real database (PGlite in-process LISTEN by default,
// PostgreSQL LISTEN/NOTIFY with TEST_DATABASE_URL).

const silent = pino({ level: 'silent' });
let t: TestDatabase;
let api: TestApi;
let hub: StreamHub;
let r: Review;
let wallMs = Date.now();
const wallClock: Clock = { now: () => new Date(wallMs) };

function sourceFor(db: TestDatabase): StreamSource {
  return db.target.kind === 'postgres'
    ? postgresStreamSource(db.target.url, silent)
    : pgliteStreamSource(db.pglite!);
}

beforeAll(async () => {
  t = await freshDatabase();
  r = await setUpReview(t.db);
  hub = createStreamHub({ db: t.db, source: sourceFor(t), logger: silent, heartbeatMs: 100 });
  await hub.start();
  api = await startApi(t.db, { stream: { hub, wallClock }, observers: [streamObserver()] });
});
afterAll(async () => {
  await hub.stop();
  // The streams ended with the hub; what is left is idle keep-alive sockets.
  await api.close(500);
  await t.close();
});

const streamRows = (guidelineId: string) =>
  t.db
    .selectFrom('stream_events')
    .selectAll()
    .where('guideline_id', '=', guidelineId)
    .orderBy('id')
    .execute();

/** A guideline in consultation, moved there with the stream observer. */
async function consulted() {
  const { id } = await r.newGuideline();
  await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
  await actWithStream(r, id, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat);
  return id;
}

describe('signing in to the stream', () => {
  it('answers 401 without credentials, with a bad token and with a bad ticket', async () => {
    for (const options of [
      {},
      { headers: { authorization: 'Bearer not-a-token' } },
      { ticket: 'no-such-ticket' },
    ]) {
      const stream = await openStream(api, options);
      expect(stream.status).toBe(401);
      expect(stream.headers.get('content-type')).toContain('application/problem+json');
      expect(stream.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(hub.size).toBe(0);
  });

  it('refuses a deactivated account', async () => {
    const gone = await insertUser(t.db, { role: 'expert', active: false });
    const stream = await openStream(api, { as: gone });
    expect(stream.status).toBe(401);
  });

  it('takes a one-use ticket, stored only as a hash', async () => {
    const response = await call(api, 'POST', '/api/v1/stream/ticket', { as: r.observer });
    expect(response.status).toBe(201);
    const { ticket, expiresAt } = (await response.json()) as { ticket: string; expiresAt: string };
    expect(new Date(expiresAt).getTime()).toBe(wallMs + 60_000);
    const stored = await t.db.selectFrom('stream_tickets').selectAll().execute();
    expect(stored.map((s) => s.user_id)).toEqual([r.observer.id]);
    expect(stored[0]!.hash).not.toContain(ticket);
    expect(stored[0]!.hash).toMatch(/^[0-9a-f]{64}$/);

    const first = await connectedStream(api, { ticket });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/event-stream');
    first.close();
    const again = await openStream(api, { ticket });
    expect(again.status).toBe(401);
    expect(await t.db.selectFrom('stream_tickets').selectAll().execute()).toEqual([]);
  });

  it('refuses a ticket once its minute of wall-clock time has passed', async () => {
    const response = await call(api, 'POST', '/api/v1/stream/ticket', { as: r.observer });
    const { ticket } = (await response.json()) as { ticket: string };
    wallMs += 60_001;
    const late = await openStream(api, { ticket });
    expect(late.status).toBe(401);
    expect(
      (
        (await (await fetch(`${api.url}/api/v1/stream?ticket=${ticket}`)).json()) as {
          code: string;
        }
      ).code,
    ).toBe('unauthenticated');
    expect(await t.db.selectFrom('stream_tickets').selectAll().execute()).toEqual([]);
  });

  it('refuses a malformed Last-Event-ID with 400', async () => {
    const stream = await call(api, 'GET', '/api/v1/stream', {
      as: r.observer,
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(stream.status).toBe(400);
    expect(await problemOf(stream)).toMatchObject({ code: 'validation_failed' });
    const query = await call(api, 'GET', '/api/v1/stream?lastEventId=-1', { as: r.observer });
    expect(query.status).toBe(400);
  });
});

describe('what a stream shows', () => {
  it('sends a notification and a guideline change once the event commits', async () => {
    const { id } = await r.newGuideline();
    const secretariat = await connectedStream(api, { as: r.secretariat });
    const owner = await connectedStream(api, { as: r.owner });
    const applied = await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);

    const change = await secretariat.next((m) => m.event === 'guideline');
    expect(change.data).toEqual({
      id,
      state: 'secretariat_check',
      stateValue: 'secretariat_check',
      round: applied!.guideline.round,
      version: applied!.guideline.version,
      event: 'SUBMIT',
      at: r.clock.now().toISOString(),
    });
    const notification = await secretariat.next((m) => m.event === 'notification');
    const stored = await t.db
      .selectFrom('notifications')
      .selectAll()
      .where('recipient_id', '=', r.secretariat.id)
      .where('guideline_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(notification.data).toMatchObject({ id: stored.id, kind: stored.kind, guidelineId: id });
    const rows = await streamRows(id);
    expect(rows.map((row) => String(row.id))).toEqual([change.id, notification.id]);

    // The owner sees their own guideline change, but the notification was the secretariat's.
    expect((await owner.next()).event).toBe('guideline');
    secretariat.close();
    owner.close();
  });

  it('sends an event applied through POST /events, as the engine tells its observers', async () => {
    const { id } = await r.newGuideline();
    const secretariat = await connectedStream(api, { as: r.secretariat });
    const answer = await call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
      as: r.owner,
      body: { type: 'SUBMIT' },
      headers: { 'if-match': '"1"' },
    });
    expect(answer.status).toBe(200);
    const change = await secretariat.next((m) => m.event === 'guideline');
    expect(change.data).toMatchObject({
      id,
      state: 'secretariat_check',
      event: 'SUBMIT',
      version: 2,
    });
    const notification = await secretariat.next((m) => m.event === 'notification');
    expect(notification.data).toMatchObject({ guidelineId: id });
    const rows = await streamRows(id);
    expect(rows.map((row) => String(row.id))).toEqual([change.id, notification.id]);
    secretariat.close();
  });

  it('sends nothing for a change that rolled back', async () => {
    const { id } = await r.newGuideline();
    const stream = await connectedStream(api, { as: r.secretariat });
    expect(await actWithStream(r, id, { type: 'SUBMIT' }, r.owner, { rollBack: true })).toBeNull();
    expect(await streamRows(id)).toEqual([]);
    const other = await r.newGuideline();
    await actWithStream(r, other.id, { type: 'SUBMIT' }, r.owner);
    // The first message is the committed change: nothing came for the one rolled back.
    expect(((await stream.next()).data as { id: string }).id).toBe(other.id);
    stream.close();
  });

  it('sends nothing of a guideline the reader may not see, nor others’ notifications', async () => {
    const expert = r.experts.workers[1]!;
    const stream = await connectedStream(api, { as: expert });
    const drafter = await connectedStream(api, { as: r.otherDrafter });
    const { id } = await r.newGuideline();
    await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
    expect((await streamRows(id)).length).toBeGreaterThan(0);
    await actWithStream(
      r,
      id,
      { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId },
      r.secretariat,
    );
    // In consultation it is theirs to see, and the expert, a member, is notified.
    const first = await stream.next();
    expect(first).toMatchObject({ event: 'guideline', data: { id, event: 'ACCEPT_FOR_REVIEW' } });
    const notified = await stream.next();
    expect(notified).toMatchObject({ event: 'notification', data: { guidelineId: id } });
    expect((await drafter.next()).data).toMatchObject({ id, event: 'ACCEPT_FOR_REVIEW' });
    // The other drafter is no member: the next thing they get is the next visible change.
    const marker = await consulted();
    expect((await drafter.next()).data).toMatchObject({ id: marker, event: 'ACCEPT_FOR_REVIEW' });
    stream.close();
    drafter.close();
  });

  it('carries no sealed content of a group position', async () => {
    const id = await consulted();
    const other = await connectedStream(api, { as: r.experts.employers[1]! });
    await actWithStream(
      r,
      id,
      { type: 'SUBMIT_POSITION', stance: 'oppose', statement: 'Secret reasons.' },
      r.spokesperson('workers'),
    );
    const change = await other.next();
    expect(Object.keys(change.data as object).sort()).toEqual(
      ['at', 'event', 'id', 'round', 'state', 'stateValue', 'version'].sort(),
    );
    const rows = await streamRows(id);
    expect(JSON.stringify(rows)).not.toMatch(/oppose|Secret reasons/);
    other.close();
  });

  it('resumes after Last-Event-ID without loss or duplicates, by header or by query', async () => {
    const id = await consulted();
    const stream = await connectedStream(api, { as: r.secretariat });
    await actWithStream(
      r,
      id,
      { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Yes.' },
      r.spokesperson('government'),
    );
    const seen = await stream.next((m) => m.event === 'guideline');
    stream.close();
    await stream.ended;

    await actWithStream(
      r,
      id,
      { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Yes.' },
      r.spokesperson('employers'),
    );
    await actWithStream(
      r,
      id,
      { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Yes.' },
      r.spokesperson('workers'),
    );
    const missed = (
      await t.db
        .selectFrom('stream_events')
        .select('id')
        .where('id', '>', Number(seen.id))
        .where((eb) =>
          eb.or([eb('kind', '=', 'guideline'), eb('recipient_id', '=', r.secretariat.id)]),
        )
        .orderBy('id')
        .execute()
    ).map((row) => String(row.id));
    expect(missed.length).toBeGreaterThanOrEqual(4);

    for (const resume of [{ lastEventId: seen.id! }, { query: seen.id! }]) {
      const back = await connectedStream(api, { as: r.secretariat, ...resume });
      const replayed = back.received.filter(isData).map((m) => m.id);
      expect(replayed).toEqual(missed);
      // Then live, with nothing sent twice.
      const more = await r.newGuideline();
      await actWithStream(r, more.id, { type: 'SUBMIT' }, r.owner);
      const live = await back.next();
      expect((live.data as { id: string }).id).toBe(more.id);
      missed.push(live.id!, (await back.next()).id!);
      back.close();
      await back.ended;
    }
  });

  it('sends a heartbeat comment', async () => {
    const stream = await connectedStream(api, { as: r.observer });
    expect(await stream.next((m) => m.comment === 'heartbeat')).toEqual({
      event: 'message',
      comment: 'heartbeat',
    });
    stream.close();
  });

  it('closes a deactivated reader’s stream at the next heartbeat', async () => {
    const expert = await insertUser(t.db, { role: 'expert', group: 'workers' });
    const stream = await connectedStream(api, { as: expert });
    await t.db.updateTable('users').set({ active: false }).where('id', '=', expert.id).execute();
    await stream.ended;
    expect(stream.received.at(-1)?.comment).not.toBe('heartbeat');
  });

  it('numbers new rows after the last id even when every row was old enough to prune', async () => {
    const { id } = await r.newGuideline();
    await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
    const top = Number(
      (
        await t.db
          .selectFrom('stream_events')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id,
    );
    await t.db
      .updateTable('stream_events')
      .set({ created_at: new Date(Date.now() - 3 * 24 * 3600_000) } as never)
      .execute();
    await pruneStreamEvents(t.db, new Date(Date.now() - 24 * 3600_000));
    expect(
      (await t.db.selectFrom('stream_events').select('id').execute()).map((row) => Number(row.id)),
    ).toEqual([top]);

    const stream = await connectedStream(api, { as: r.secretariat, lastEventId: String(top) });
    const other = await r.newGuideline();
    await actWithStream(r, other.id, { type: 'SUBMIT' }, r.owner);
    const next = await stream.next((m) => m.event === 'guideline');
    expect((next.data as { id: string }).id).toBe(other.id);
    expect(Number(next.id)).toBeGreaterThan(top);
    stream.close();
  });

  it('prunes rows past the retention period, and only those', async () => {
    const { id } = await r.newGuideline();
    await actWithStream(r, id, { type: 'SUBMIT' }, r.owner);
    const [first, ...rest] = await streamRows(id);
    await t.db
      .updateTable('stream_events')
      .set({ created_at: new Date(Date.now() - 2 * 24 * 3600_000) } as never)
      .where('id', '=', first!.id)
      .execute();
    const pruned = await pruneStreamEvents(t.db, new Date(Date.now() - 24 * 3600_000));
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect((await streamRows(id)).map((row) => row.id)).toEqual(rest.map((row) => row.id));
  });

  it('tells of a ballot cast by the turnout alone', async () => {
    const id = await consulted();
    await statePositions(r, id);
    await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
    const voter = r.experts.workers[1]!;
    const stream = await connectedStream(api, { as: r.experts.employers[1]! });
    await inTransaction(t.db, async (trx) => {
      const vote = await trx
        .selectFrom('votes')
        .select(['round', 'number'])
        .where('guideline_id', '=', id)
        .where('closed_at', 'is', null)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('ballots')
        .values({
          guideline_id: id,
          round: vote.round,
          vote_number: vote.number,
          voter_id: voter.id,
          choice: 'abstain',
          cast_at: r.clock.now(),
        })
        .execute();
      await publishGuidelineActivity(trx, {
        guidelineId: id,
        activity: 'BALLOT_CAST',
        at: r.clock.now(),
      });
    });
    const message = await stream.next();
    expect(message.data).toMatchObject({ id, state: 'voting', event: 'BALLOT_CAST', turnout: 1 });
    const stored = JSON.stringify((await streamRows(id)).at(-1));
    expect(stored).not.toMatch(/abstain|choice/);
    expect(stored).not.toContain(voter.id);
    stream.close();
  });
});
