import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.js';
import { actorOf } from '../../src/domain/permissions.js';
import { applyEvent } from '../../src/workflow/apply-event.js';
import { EventNotAllowed, VersionConflict } from '../../src/workflow/errors.js';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import {
  describeOnPostgres,
  freshDatabase,
  needsPostgres,
  type TestDatabase,
} from '../helpers/database.js';
import { storedGuideline } from '../helpers/factories.js';
import { openConsultation, type Review, setUpReview } from '../helpers/review.js';
import { MAX_ROUNDS } from '../model/alphabet.js';
import { perform } from '../model/driver.js';
import {
  coveringPaths,
  edgePaths,
  type ModelPath,
  shortestPaths,
  simplePaths,
} from '../model/paths.js';

// Real concurrency needs a real server: PGlite has a single connection and serialises everything.

describeOnPostgres(`concurrent events (${needsPostgres})`, () => {
  let t: TestDatabase;
  let pool: DatabaseHandle;
  let r: Review;
  beforeAll(async () => {
    t = await freshDatabase();
    if (t.target.kind !== 'postgres') throw new Error('unreachable');
    pool = await openDatabase({ ...t.target, poolSize: 24 });
    r = await setUpReview(pool.db, {
      maxRounds: MAX_ROUNDS,
      meeting: {
        consultation_deadline: '2006-01-01T00:00:00Z',
        vote_deadline: '2006-01-01T00:00:00Z',
      },
    });
  });
  afterAll(async () => {
    await pool.close();
    await t.close();
  });

  const audit = (id: string) =>
    pool.db
      .selectFrom('audit_entries')
      .select(['seq', 'event_type'])
      .where('guideline_id', '=', id)
      .orderBy('seq')
      .execute();

  it('20 conflicting events on one version: exactly one wins, the rest are conflicts, the audit has one entry', async () => {
    const { id } = await r.newGuideline();
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    const attempts = Array.from({ length: 20 }, (_, i) =>
      r.act(
        id,
        i % 2 === 0
          ? { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }
          : { type: 'RETURN_TO_DRAFTER', reason: `Attempt ${i}` },
        r.secretariat,
        2,
      ),
    );
    const results = await Promise.allSettled(attempts);
    const won = results.filter((x) => x.status === 'fulfilled');
    const lost = results.flatMap((x) => (x.status === 'rejected' ? [x.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    expect(lost.every((e) => e instanceof VersionConflict && e.actual === 3)).toBe(true);

    const row = await storedGuideline(pool.db, id);
    expect(row.version).toBe(3);
    const entries = await audit(id);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[2]?.event_type).toBe(
      row.state === 'consultation' ? 'ACCEPT_FOR_REVIEW' : 'RETURN_TO_DRAFTER',
    );
    expect((await verifyAuditChains(pool.db, [`guideline:${id}`])).ok).toBe(true);
  });

  it('20 copies of one position at once without a version: one is taken, 19 refused as already stated', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        r.act(
          id,
          { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Workers support.' },
          r.spokesperson('workers'),
        ),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const refused = results.flatMap((x) => (x.status === 'rejected' ? [x.reason] : []));
    expect(refused.every((e) => e instanceof EventNotAllowed)).toBe(true);
    const positions = await pool.db
      .selectFrom('positions')
      .select('group')
      .where('guideline_id', '=', id)
      .execute();
    expect(positions).toEqual([{ group: 'workers' }]);
    expect((await audit(id)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('200 guidelines advanced by 16 workers end where a serial run leaves them', async () => {
    // Deadline paths move the shared meeting's deadlines, so they stay out of a concurrent run.
    const usesDeadline = (p: ModelPath) => p.steps.some((s) => s.event.type.endsWith('_DEADLINE'));
    const scripts = [
      ...shortestPaths(),
      ...coveringPaths([...simplePaths(), ...edgePaths()]),
    ].filter((p) => !usesDeadline(p));
    const pick = (i: number) => scripts[i % scripts.length]!;
    const outcome = async (id: string) => {
      const row = await storedGuideline(pool.db, id);
      const entries = await audit(id);
      return {
        value: row.snapshot.value,
        round: row.round,
        version: row.version,
        audit: entries.length,
      };
    };
    const run = async (id: string, script: ModelPath) => {
      for (const step of script.steps) await perform(r, id, step.event);
    };

    const serial: string[] = [];
    for (let i = 0; i < 200; i++) {
      const { id } = await r.newGuideline();
      await run(id, pick(i));
      serial.push(id);
    }

    const concurrent: string[] = [];
    for (let i = 0; i < 200; i++) concurrent.push((await r.newGuideline()).id);
    let next = 0;
    const worker = async () => {
      while (next < 200) {
        const i = next++;
        await run(concurrent[i]!, pick(i));
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    for (let i = 0; i < 200; i++) {
      expect(await outcome(concurrent[i]!), `guideline ${i}`).toEqual(await outcome(serial[i]!));
    }
    const report = await verifyAuditChains(
      pool.db,
      concurrent.map((id) => `guideline:${id}`),
    );
    expect(report).toMatchObject({ ok: true, chains: 200 });
  }, 180_000);

  it('two processes racing on the same guidelines, each deciding on the row it wrote last: every acknowledged event is recorded once, none overwritten', async () => {
    // Each Kysely handle is a process of its own here: its own pool, its own memory of rows.
    if (t.target.kind !== 'postgres') throw new Error('unreachable');
    const second = await openDatabase({ ...t.target, poolSize: 8 });
    try {
      const processes = [pool.db, second.db];
      const ids = await Promise.all(
        Array.from({ length: 10 }, async () => (await r.newGuideline()).id),
      );
      const acknowledged = new Map<string, number>(ids.map((id) => [id, 0]));
      const submit = { type: 'SUBMIT' } as const;
      const back = { type: 'RETURN_TO_DRAFTER', reason: 'Again.' } as const;
      // Four workers per guideline, each sending either event to either process, without a version.
      const worker = async (id: string, w: number) => {
        for (let k = 0; k < 25; k++) {
          const db = processes[(w + k) % 2]!;
          const [command, by] = (w + k) % 3 === 0 ? [back, r.secretariat] : [submit, r.owner];
          await applyEvent({ db, clock: r.clock }, id, command, actorOf(by)).then(
            () => acknowledged.set(id, acknowledged.get(id)! + 1),
            (error: unknown) => expect(error).toBeInstanceOf(EventNotAllowed),
          );
        }
      };
      await Promise.all(ids.flatMap((id) => [0, 1, 2, 3].map((w) => worker(id, w))));
      for (const id of ids) {
        const row = await storedGuideline(pool.db, id);
        const entries = await audit(id);
        const moves = entries.filter((e) => e.event_type !== 'CREATE');
        expect(moves.length, id).toBe(acknowledged.get(id));
        expect(moves.length).toBeGreaterThan(10);
        // Moves alternate, as the statechart allows nothing else, and the row is where the last left it.
        expect(moves.map((e) => e.event_type)).toEqual(
          moves.map((_, i) => (i % 2 === 0 ? 'SUBMIT' : 'RETURN_TO_DRAFTER')),
        );
        expect(row.state).toBe(moves.length % 2 === 1 ? 'secretariat_check' : 'drafting');
        expect(row.version).toBe(1 + moves.length);
      }
      expect(
        await verifyAuditChains(
          pool.db,
          ids.map((id) => `guideline:${id}`),
        ),
      ).toMatchObject({ ok: true, chains: 10 });
    } finally {
      await second.close();
    }
  }, 60_000);
});
