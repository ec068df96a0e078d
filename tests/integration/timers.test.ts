import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioClock } from '../../src/clock.js';
import { guidelineChain } from '../../src/db/audit.js';
import { createGbSession } from '../../src/workflow/manage-gb-sessions.js';
import { updateMeeting } from '../../src/workflow/manage-meetings.js';
import type { EventObserver } from '../../src/workflow/observers.js';
import {
  advanceScenarioClock,
  openScenarioClock,
  syncScenarioClock,
} from '../../src/workflow/scenario-clock.js';
import { createTimerLoop } from '../../src/workflow/timer-loop.js';
import { fireDueTimers, pendingTimersOf, timerObserver } from '../../src/workflow/timers.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { describeOnPostgres, freshDatabase, type TestDatabase } from '../helpers/database.js';
import { actObserved } from '../helpers/deliveries.js';
import { castBallots, type Review, setUpReview } from '../helpers/review.js';

// Deadlines and reminders as durable timers (SPEC section 5): written with the event that opens a
// consultation or a vote, rewritten when the meeting's deadline moves, cancelled when the stage
// ends early; fired in scenario time, a deadline through the engine as the system's own event, a
// reminder only to those who have not acted.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(async () => {
  await t?.close();
});

const observers: EventObserver[] = [timerObserver()];
const day = 86_400;

/** Each test its own meeting and its own clock, at 3 October 2005. */
async function review() {
  const r = await setUpReview(t.db);
  const act = (
    id: string,
    command: Parameters<typeof actObserved>[3],
    by: Parameters<typeof actObserved>[4],
  ) => actObserved(r, observers, id, command, by);
  const fire = () => fireDueTimers({ db: t.db, clock: r.clock, observers });
  /** Moves this test's clock to `iso` and fires what is due. */
  const at = (iso: string) => {
    r.clock.advance((new Date(iso).getTime() - r.clock.now().getTime()) / 1000);
    return fire();
  };
  const inConsultation = async () => {
    const { id } = await r.newGuideline();
    await act(id, { type: 'SUBMIT' }, r.owner);
    await act(id, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat);
    return id;
  };
  /** Every group's spokesperson supports it. */
  const allAgree = async (id: string) => {
    for (const g of ['government', 'employers', 'workers'] as const) {
      await act(
        id,
        { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Agreed.' },
        r.spokesperson(g),
      );
    }
  };
  return { r, act, fire, at, inConsultation, allAgree };
}

const stateOf = async (id: string) =>
  (
    await t.db
      .selectFrom('guidelines')
      .select(['state', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).state;

const inboxOf = (guidelineId: string, kind: string) =>
  t.db
    .selectFrom('notifications')
    .select(['recipient_id', 'title'])
    .where('guideline_id', '=', guidelineId)
    .where('kind', '=', kind)
    .execute();

const due = (rows: Awaited<ReturnType<typeof pendingTimersOf>>) =>
  rows.map((x) => [x.kind, new Date(x.due_at).toISOString(), x.offset_before]);

describe('consultation timers', () => {
  it('are scheduled when the consultation opens: the deadline and a reminder 7 and 1 days before', async () => {
    const { inConsultation } = await review();
    const id = await inConsultation();
    expect(due(await pendingTimersOf(t.db, id))).toEqual([
      ['consultation_reminder', '2005-10-21T17:00:00.000Z', 'P7D'],
      ['consultation_reminder', '2005-10-27T17:00:00.000Z', 'P1D'],
      ['consultation_deadline', '2005-10-28T17:00:00.000Z', null],
    ]);
  });

  it('remind only the spokespersons still to state a position, then close it at the deadline', async () => {
    const { r, act, at, fire, inConsultation } = await review();
    const id = await inConsultation();
    await act(
      id,
      { type: 'SUBMIT_POSITION', stance: 'support', statement: 'We support it.' },
      r.spokesperson('government'),
    );
    expect(await at('2005-10-21T16:59:59Z')).toEqual([]);
    const fired = await at('2005-10-21T17:00:00Z');
    expect(fired.filter((f) => f.guidelineId === id).map((f) => [f.kind, f.outcome])).toEqual([
      ['consultation_reminder', 'reminded 2'],
    ]);
    const reminded = await inboxOf(id, 'guideline.consultation_reminder');
    expect(reminded.map((n) => n.recipient_id).sort()).toEqual(
      [r.spokesperson('employers').id, r.spokesperson('workers').id].sort(),
    );
    expect(reminded[0]!.title).toBe(
      "Recruitment: your group's position is due by 2005-10-28 17:00 UTC",
    );

    // Past the deadline at once: the day-before reminder fires first, then the deadline.
    const later = (await at('2005-11-01T00:00:00Z')).filter((f) => f.guidelineId === id);
    expect(later.map((f) => [f.kind, f.outcome])).toEqual([
      ['consultation_reminder', 'reminded 2'],
      ['consultation_deadline', 'applied: consultation → deliberation'],
    ]);
    expect(await stateOf(id)).toBe('deliberation');
    const entry = await t.db
      .selectFrom('audit_entries')
      .select(['event_type', 'actor_id', 'actor_role'])
      .where('chain', '=', guidelineChain(id))
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({
      event_type: 'CONSULTATION_DEADLINE',
      actor_id: null,
      actor_role: 'system',
    });
    // Firing again finds nothing to do; the stage's timers are all spent.
    expect((await fire()).filter((f) => f.guidelineId === id)).toEqual([]);
    expect(await pendingTimersOf(t.db, id)).toEqual([]);
  });

  it('a second firing of a deadline changes nothing', async () => {
    const { at, fire, inConsultation } = await review();
    const id = await inConsultation();
    await at('2005-10-29T00:00:00Z');
    expect(await stateOf(id)).toBe('deliberation');
    // A stray copy of the deadline that comes due after it fired (scheduled twice, say).
    await t.db
      .insertInto('timers')
      .values({
        kind: 'consultation_deadline',
        guideline_id: id,
        round: 1,
        due_at: '2005-10-28T17:00:00Z',
        offset_before: null,
      })
      .execute();
    const again = (await fire()).filter((f) => f.guidelineId === id);
    expect(again.map((f) => f.outcome)).toEqual([
      'not applied: the guideline is in deliberation, round 1',
    ]);
    const entries = await t.db
      .selectFrom('audit_entries')
      .select('event_type')
      .where('chain', '=', guidelineChain(id))
      .where('event_type', '=', 'CONSULTATION_DEADLINE')
      .execute();
    expect(entries).toHaveLength(1);
  });

  it('are cancelled when the consultation closes early, and nothing fires later', async () => {
    const { r, act, at, inConsultation, allAgree } = await review();
    const id = await inConsultation();
    await allAgree(id);
    await act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    expect(await pendingTimersOf(t.db, id)).toEqual([]);
    expect((await at('2005-11-01T00:00:00Z')).filter((f) => f.guidelineId === id)).toEqual([]);
    expect(await inboxOf(id, 'guideline.consultation_reminder')).toEqual([]);
  });

  it('follow the meeting when its deadline moves', async () => {
    const { r, at, inConsultation } = await review();
    const id = await inConsultation();
    await updateMeeting(
      { db: t.db, clock: r.clock },
      r.meetingId,
      { consultationDeadline: new Date('2005-11-04T12:00:00Z'), reminderOffsets: ['PT12H'] },
      r.secretariat,
    );
    expect(due(await pendingTimersOf(t.db, id))).toEqual([
      ['consultation_reminder', '2005-11-04T00:00:00.000Z', 'PT12H'],
      ['consultation_deadline', '2005-11-04T12:00:00.000Z', null],
    ]);
    // The old deadline passes with nothing happening.
    expect((await at('2005-10-29T00:00:00Z')).filter((f) => f.guidelineId === id)).toEqual([]);
    expect(await stateOf(id)).toBe('consultation');
    await at('2005-11-04T12:00:00Z');
    expect(await stateOf(id)).toBe('deliberation');
  });

  it('a deadline moved later behind its timer fires at the new time, not before', async () => {
    const { r, at, inConsultation } = await review();
    const id = await inConsultation();
    // Moved in the table without its timers (as an operator might): the timer finds out when due.
    await t.db
      .updateTable('meetings')
      .set({ consultation_deadline: '2005-10-30T17:00:00Z' })
      .where('id', '=', r.meetingId)
      .execute();
    await at('2005-10-28T18:00:00Z');
    expect(await stateOf(id)).toBe('consultation');
    expect(due(await pendingTimersOf(t.db, id))).toEqual([
      ['consultation_deadline', '2005-10-30T17:00:00.000Z', null],
    ]);
    await at('2005-10-30T17:00:00Z');
    expect(await stateOf(id)).toBe('deliberation');
  });

  it('a later round whose deadline has passed gets no deadline that would close it at once', async () => {
    const { r, act, at, fire, inConsultation, allAgree } = await review();
    const id = await inConsultation();
    await allAgree(id);
    await act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await act(
      id,
      { type: 'REQUEST_REVISION', instructions: 'Tighten paragraph 2.' },
      r.secretariat,
    );
    await at('2005-10-30T00:00:00Z');
    await act(id, { type: 'RESUBMIT' }, r.owner);
    expect(await stateOf(id)).toBe('consultation');
    expect(await pendingTimersOf(t.db, id)).toEqual([]);
    expect((await fire()).filter((f) => f.guidelineId === id)).toEqual([]);
    expect(await stateOf(id)).toBe('consultation');
    // A new deadline for the meeting gives the second round its timers.
    await updateMeeting(
      { db: t.db, clock: r.clock },
      r.meetingId,
      { consultationDeadline: new Date('2005-11-10T17:00:00Z') },
      r.secretariat,
    );
    expect(due(await pendingTimersOf(t.db, id)).map((x) => x[0])).toEqual([
      'consultation_reminder',
      'consultation_reminder',
      'consultation_deadline',
    ]);
  });
});

describe('vote timers', () => {
  it('remind the electorate who have not voted, and close the vote at its deadline', async () => {
    const { r, act, at, inConsultation, allAgree } = await review();
    const id = await inConsultation();
    await allAgree(id);
    await act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await act(id, { type: 'OPEN_VOTE' }, r.secretariat);
    expect(due(await pendingTimersOf(t.db, id))).toEqual([
      ['vote_reminder', '2005-10-26T15:00:00.000Z', 'P7D'],
      ['vote_reminder', '2005-11-01T15:00:00.000Z', 'P1D'],
      ['vote_deadline', '2005-11-02T15:00:00.000Z', null],
    ]);
    await castBallots(r, id, {
      government: ['yes', 'yes'],
      employers: ['yes'],
      workers: ['yes', 'no'],
    });
    await at('2005-10-26T15:00:00Z');
    const reminded = await inboxOf(id, 'guideline.vote_reminder');
    expect(reminded.map((n) => n.recipient_id)).toEqual([r.experts.employers[1]!.id]);
    expect(reminded[0]!.title).toBe('Recruitment: your vote is due by 2005-11-02 15:00 UTC');

    const fired = (await at('2005-11-02T15:00:00Z')).filter((f) => f.guidelineId === id);
    expect(fired.map((f) => f.kind)).toEqual(['vote_reminder', 'vote_deadline']);
    expect(fired[1]!.outcome).toBe('applied: voting → adopted');
    expect(await stateOf(id)).toBe('adopted');
  });
});

describe('the Governing Body document deadline', () => {
  it('reminds the secretariat of adopted guidelines not yet included, and only when there are some', async () => {
    const { r } = await review();
    const clock = new ScenarioClock(new Date('2005-10-03T09:00:00Z'), () => 0);
    const number = 2000 + Math.floor(Math.random() * 1_000_000);
    const empty = await createGbSession(
      { db: t.db, clock },
      {
        number,
        name: `Session ${number}`,
        startsAt: new Date('2005-11-03T08:00:00Z'),
        endsAt: new Date('2005-11-18T17:00:00Z'),
        documentDeadline: new Date('2005-10-21T17:00:00Z'),
      },
      r.secretariat,
    );
    const timers = await t.db
      .selectFrom('timers')
      .select(['kind', 'due_at'])
      .where('gb_session_id', '=', empty.id)
      .orderBy('due_at')
      .execute();
    expect(timers.map((x) => [x.kind, new Date(x.due_at).toISOString()])).toEqual([
      ['gb_document_reminder', '2005-10-14T17:00:00.000Z'],
      ['gb_document_reminder', '2005-10-20T17:00:00.000Z'],
    ]);
    // No guideline of this database is adopted yet at this point of the file: nothing to remind of.
    await t.db
      .updateTable('guidelines')
      .set({ state: 'approved' })
      .where('state', '=', 'adopted')
      .execute();
    clock.advance(11 * day + 8 * 3600);
    const first = (await fireDueTimers({ db: t.db, clock, observers })).filter(
      (f) => f.gbSessionId === empty.id,
    );
    expect(first.map((f) => f.outcome)).toEqual([
      'nothing to remind of: no adopted guideline waits',
    ]);

    await t.db
      .updateTable('guidelines')
      .set({ state: 'adopted' })
      .where('id', '=', (await r.newGuideline()).id)
      .execute();
    clock.advance(6 * day);
    const second = (await fireDueTimers({ db: t.db, clock, observers })).filter(
      (f) => f.gbSessionId === empty.id,
    );
    expect(second).toHaveLength(1);
    expect(second[0]!.outcome).toMatch(/^reminded \d+ \(1 adopted not yet included\)$/);
    const notes = await t.db
      .selectFrom('notifications')
      .select(['recipient_id', 'title'])
      .where('kind', '=', 'gb_session.document_reminder')
      .where('dedupe_key', 'like', `timer:${second[0]!.id}:%`)
      .execute();
    const secretariat = await t.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'secretariat')
      .where('active', '=', true)
      .execute();
    expect(notes.map((n) => n.recipient_id).sort()).toEqual(secretariat.map((s) => s.id).sort());
    expect(notes[0]!.title).toContain('1 adopted guideline not yet included');
  });
});

describe('the scenario clock', () => {
  it('resumes where it stood after a restart, and a new start begins anew', async () => {
    // A database of its own: the resumed clock never starts before what the record holds.
    const own = await freshDatabase();
    const t = own;
    const start = new Date('2005-10-03T09:00:00Z');
    let real = 1_000_000;
    const first = await openScenarioClock(t.db, start, () => real);
    first.advance(2 * day);
    real += 5_000;
    const loop = createTimerLoop({
      db: t.db,
      clock: first,
      scenario: first,
      logger: pino({ level: 'silent' }),
    });
    await loop.stop();
    // Later, after a restart (the real time in between does not count).
    real += 3_600_000;
    const resumed = await openScenarioClock(t.db, start, () => real);
    expect(resumed.now().toISOString()).toBe('2005-10-05T09:00:05.000Z');
    const elsewhere = await openScenarioClock(t.db, new Date('2005-10-20T00:00:00Z'), () => real);
    expect(elsewhere.now().toISOString()).toBe('2005-10-20T00:00:00.000Z');
    await own.close();
  });

  it('two advances at once both count, and a process that did not advance catches up', async () => {
    const own = await freshDatabase();
    const start = new Date('2005-10-03T09:00:00Z');
    const a = await openScenarioClock(own.db, start, () => 0);
    const b = await openScenarioClock(own.db, start, () => 0);
    await Promise.all([advanceScenarioClock(own.db, a, day), advanceScenarioClock(own.db, b, day)]);
    const c = await openScenarioClock(own.db, start, () => 0);
    expect(c.now().toISOString()).toBe('2005-10-05T09:00:00.000Z');
    await syncScenarioClock(own.db, a);
    await syncScenarioClock(own.db, b);
    expect([a.now(), b.now()].map((x) => x.toISOString())).toEqual([
      '2005-10-05T09:00:00.000Z',
      '2005-10-05T09:00:00.000Z',
    ]);
    await own.close();
  });

  it('after a crash resumes no earlier than the last event recorded', async () => {
    const own = await freshDatabase();
    const r = await setUpReview(own.db);
    const start = r.clock.start;
    await openScenarioClock(own.db, start, () => 0);
    // Events happen an hour on; the stored position (written only at start) lags behind them.
    r.clock.advance(3600);
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    const resumed = await openScenarioClock(own.db, start, () => 0);
    expect(resumed.now().getTime()).toBeGreaterThanOrEqual(r.clock.now().getTime());
    await own.close();
  });
});

describe('the clock API', () => {
  let api: TestApi;
  let system: TestApi;
  let r: Review;
  beforeAll(async () => {
    r = await setUpReview(t.db);
    const loop = createTimerLoop({
      db: t.db,
      clock: r.clock,
      scenario: r.clock,
      observers,
      logger: pino({ level: 'silent' }),
    });
    api = await startApi(t.db, { clock: r.clock, observers, timers: loop });
    system = await startApi(t.db, {});
  });
  afterAll(async () => {
    await api?.close();
    await system?.close();
  });

  it('moves the scenario clock for the secretariat, and the consultation moves on by itself', async () => {
    const { id } = await r.newGuideline();
    await actObserved(r, observers, id, { type: 'SUBMIT' }, r.owner);
    await actObserved(
      r,
      observers,
      id,
      { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId },
      r.secretariat,
    );
    const clock = await call(api, 'GET', '/api/v1/clock', { as: r.secretariat });
    const shown = (await clock.json()) as {
      scenario: boolean;
      upcoming: { guidelineId: string; kind: string }[];
    };
    expect(shown.scenario).toBe(true);
    expect(shown.upcoming.filter((u) => u.guidelineId === id).map((u) => u.kind)).toEqual([
      'consultation_reminder',
      'consultation_reminder',
      'consultation_deadline',
    ]);
    const expert = await call(api, 'GET', '/api/v1/clock', { as: r.spokesperson('workers') });
    expect(((await expert.json()) as { upcoming: unknown[] }).upcoming).toEqual([]);

    for (const who of [r.owner, r.spokesperson('workers')]) {
      const refused = await call(api, 'POST', '/api/v1/clock/advance', {
        as: who,
        body: { seconds: 60 },
      });
      expect(refused.status).toBe(403);
    }
    for (const body of [
      {},
      { seconds: -5 },
      { seconds: 1.5 },
      { seconds: '60' },
      { seconds: 60, by: 'x' },
    ]) {
      const bad = await call(api, 'POST', '/api/v1/clock/advance', { as: r.secretariat, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    const before = r.clock.now().getTime();
    const moved = await call(api, 'POST', '/api/v1/clock/advance', {
      as: r.secretariat,
      body: { seconds: 30 * day },
    });
    expect(moved.status).toBe(200);
    const answer = (await moved.json()) as {
      now: string;
      fired: { guidelineId: string; kind: string; outcome: string }[];
    };
    expect(new Date(answer.now).getTime()).toBe(before + 30 * day * 1000);
    expect(answer.fired.filter((f) => f.guidelineId === id).map((f) => f.outcome)).toEqual([
      'reminded 3',
      'reminded 3',
      'applied: consultation → deliberation',
    ]);
    expect(await stateOf(id)).toBe('deliberation');
  });

  it('refuses to move system time', async () => {
    const refused = await call(system, 'POST', '/api/v1/clock/advance', {
      as: r.secretariat,
      body: { seconds: 60 },
    });
    expect(refused.status).toBe(409);
    const shown = await call(system, 'GET', '/api/v1/clock', { as: r.secretariat });
    expect(await shown.json()).toMatchObject({ scenario: false, startedFrom: null });
  });
});

describeOnPostgres('timers across workers', () => {
  it('an event that ends a stage does not wait for a timer a worker holds', async () => {
    const { r, act, inConsultation } = await review();
    const id = await inConsultation();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // A worker's claim: the stage's timer rows locked in a transaction still open.
    const worker = t.db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('timers')
        .select('id')
        .where('guideline_id', '=', id)
        .forUpdate()
        .execute();
      locked();
      await held;
    });
    await isLocked;
    const closing = act(id, { type: 'WITHDRAW', reason: 'Merged elsewhere.' }, r.owner).then(
      () => 'done',
    );
    const outcome = await Promise.race([
      closing,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 5_000)),
    ]);
    release();
    await worker;
    await closing;
    expect(outcome).toBe('done');
    expect(await stateOf(id)).toBe('withdrawn');
  });

  it('two workers firing at once fire each timer once', async () => {
    const { r, inConsultation } = await review();
    const ids = [await inConsultation(), await inConsultation(), await inConsultation()];
    r.clock.advance(40 * day);
    const [a, b] = await Promise.all([
      fireDueTimers({ db: t.db, clock: r.clock, observers }),
      fireDueTimers({ db: t.db, clock: r.clock, observers }),
    ]);
    const mine = [...a, ...b].filter((f) => ids.includes(f.guidelineId ?? ''));
    expect(mine).toHaveLength(9);
    expect(new Set(mine.map((f) => f.id)).size).toBe(9);
    for (const id of ids) expect(await stateOf(id)).toBe('deliberation');
  });
});
