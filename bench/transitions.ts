import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ScenarioClock } from '../src/clock.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { hashPassword } from '../src/domain/password.js';
import type { Actor } from '../src/domain/permissions.js';
import { initialSnapshot, persistSnapshot } from '../src/machines/snapshot.js';
import { applyEvent } from '../src/workflow/apply-event.js';
import type { GuidelineCommand } from '../src/workflow/commands.js';
import { createGuideline } from '../src/workflow/create-guideline.js';

// Transitions per second through the engine on PostgreSQL, against pgbench running the same-shape
// transactions on the same tables: lock the guideline, (for a submission, freeze a revision), update
// its snapshot and chain head, insert an audit entry, insert a notification. Prints figures; asserts
// nothing.
//
//   npm run bench                      (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else local)
//   BENCH_SECONDS=15                   time per figure and side, split over three alternating rounds
//   BENCH_SOAK=100000                  transitions in the memory soak (0 to skip)

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const GUIDELINES = 1000;
const soakTransitions = Number(process.env.BENCH_SOAK ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const name = `gre_bench_${Date.now()}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 20 });
const { db } = database;
const clock = new ScenarioClock(new Date('2005-10-03T09:00:00Z'));

try {
  await migrateToLatest(db);
  const password_hash = await hashPassword('bench-password');
  const [owner, secretariat] = await db
    .insertInto('users')
    .values([
      { email: 'owner@bench.example', name: 'Drafter', role: 'drafter', password_hash },
      {
        email: 'secretariat@bench.example',
        name: 'Secretariat',
        role: 'secretariat',
        password_hash,
      },
    ])
    .returningAll()
    .execute();
  if (!owner || !secretariat) throw new Error('bench users were not created');
  const section = await db.selectFrom('framework_sections').select('id').executeTakeFirstOrThrow();
  // The engine's guidelines, and as many more for pgbench: same tables, rows of their own.
  const ids: string[] = [];
  const referenceIds: string[] = [];
  for (let i = 0; i < 2 * GUIDELINES; i++) {
    const g = await createGuideline(db, clock, {
      ownerId: owner.id,
      sectionId: section.id,
      title: `Guideline ${i + 1}`,
      text: 'Governments should license recruitment agencies.\n\nFees should not be charged to workers.',
      references: ['C181'],
    });
    (i < GUIDELINES ? ids : referenceIds).push(g.id);
  }
  await db.schema
    .createTable('bench_ids')
    .addColumn('n', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'uuid')
    .execute();
  await db
    .insertInto('bench_ids' as never)
    .values(referenceIds.map((id, i) => ({ n: i + 1, id })) as never)
    .execute();

  const person = (u: typeof owner): Actor => ({
    kind: 'user',
    id: u.id,
    role: u.role,
    group: null,
    spokesperson: false,
  });
  const drafter = person(owner);
  const staff = person(secretariat);

  // Each guideline alternates SUBMIT (drafter) and RETURN_TO_DRAFTER (secretariat) forever.
  const nextIsSubmit = new Array<boolean>(GUIDELINES).fill(true);
  const step = async (i: number) => {
    const submit = nextIsSubmit[i];
    const command: GuidelineCommand = submit
      ? { type: 'SUBMIT' }
      : { type: 'RETURN_TO_DRAFTER', reason: 'Please revise.' };
    await applyEvent({ db, clock }, ids[i]!, command, submit ? drafter : staff);
    nextIsSubmit[i] = !submit;
  };

  /** Runs `concurrency` workers for `count` transitions or `ms` milliseconds. */
  async function drive(
    concurrency: number,
    limit: { count?: number; ms?: number },
    onProgress?: (done: number) => void,
  ) {
    let done = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const more = () =>
      (limit.count === undefined || done < limit.count) &&
      (limit.ms === undefined || performance.now() - started < limit.ms);
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        // Worker w cycles over its own guidelines (w, w + c, w + 2c, …): workers never share a row.
        const own = ids.map((_, i) => i).filter((i) => i % concurrency === w);
        for (let k = 0; more(); k++) {
          await step(own[k % own.length]!);
          done++;
          onProgress?.(done);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    return { done, perSecond: done / elapsed, cpuShare: (cpu.user + cpu.system) / 1e6 / elapsed };
  }

  // The same two shapes as the engine's SUBMIT and RETURN_TO_DRAFTER, with equal weight, writing
  // the same data: a stored snapshot of the real machine, an audit payload, notification data.
  const literal = (value: unknown) => `'${JSON.stringify(value).replaceAll("'", "''")}'`;
  const snapshotJson = literal(persistSnapshot(initialSnapshot({ ownerId: owner.id })));
  const payloadJson = literal({ reason: 'Please revise.' });
  const dataJson = literal({
    event: 'RETURN_TO_DRAFTER',
    from: 'secretariat_check',
    to: 'drafting',
    round: 1,
    version: 2,
  });
  const shape = (withRevision: boolean) => `\\set n random(1, ${GUIDELINES})
BEGIN;
SELECT id, version, audit_seq, audit_hash FROM guidelines WHERE id = (SELECT id FROM bench_ids WHERE n = :n) FOR UPDATE;
${
  withRevision
    ? `INSERT INTO revisions (guideline_id, number, round, title, text, "references", created_by, created_at)
  SELECT g.id, coalesce((SELECT max(number) FROM revisions WHERE guideline_id = g.id), 0) + 1, 1, g.title, g.text, g."references", g.owner_id, now()
  FROM guidelines g WHERE g.id = (SELECT id FROM bench_ids WHERE n = :n);`
    : ''
}
UPDATE guidelines SET snapshot = ${snapshotJson}, version = version + 1, audit_seq = audit_seq + 1,
  audit_hash = encode(sha256(random()::text::bytea), 'hex'), updated_at = now()
  WHERE id = (SELECT id FROM bench_ids WHERE n = :n);
INSERT INTO audit_entries (chain, seq, guideline_id, actor_id, actor_role, event_type, payload, from_state, to_state, version, occurred_at, prev_hash, hash)
  SELECT 'guideline:' || g.id, g.audit_seq, g.id, '${secretariat.id}', 'secretariat', 'BENCH', ${payloadJson}, 'drafting', 'drafting', g.version, now(),
         encode(sha256(random()::text::bytea), 'hex'), g.audit_hash
  FROM guidelines g WHERE g.id = (SELECT id FROM bench_ids WHERE n = :n);
INSERT INTO notifications (recipient_id, kind, guideline_id, title, data) SELECT '${owner.id}', 'bench', id, 'Guideline: returned to the drafter', ${dataJson} FROM bench_ids WHERE n = :n;
END;
`;
  const scripts = mkdtempSync(path.join(tmpdir(), 'gre-bench-'));
  const submitShape = path.join(scripts, 'submit-shape.sql');
  const returnShape = path.join(scripts, 'return-shape.sql');
  writeFileSync(submitShape, shape(true));
  writeFileSync(returnShape, shape(false));

  const pgbench = (concurrency: number, forSeconds: number) => {
    const output = execFileSync(
      'pgbench',
      [
        '-n',
        '-c',
        String(concurrency),
        '-j',
        String(Math.min(concurrency, 2)),
        '-T',
        String(Math.max(1, Math.round(forSeconds))),
        '-f',
        `${submitShape}@1`,
        '-f',
        `${returnShape}@1`,
        url.toString(),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
    if (!tps) throw new Error(`could not read pgbench's figure:\n${output}`);
    return Number(tps);
  };

  const version = (await admin.query('show server_version')).rows[0].server_version;
  console.log(
    `Guideline Review Engine — transitions benchmark\nPostgreSQL ${version}; ${GUIDELINES} guidelines alternating SUBMIT / RETURN_TO_DRAFTER; ${seconds} s per figure`,
  );
  await drive(4, { count: 2000 }); // warm-up: JIT, pools, caches
  console.log('\nconcurrency  engine tx/s  pgbench tx/s  engine/pgbench  engine process CPU');
  // Engine and pgbench alternate in three rounds per concurrency, so a drift in the disk's fsync
  // latency (large on a shared machine) falls on both sides alike.
  const rounds = 3;
  for (const concurrency of [1, 16]) {
    let engineTx = 0;
    let engineCpu = 0;
    let referenceTx = 0;
    for (let round = 0; round < rounds; round++) {
      const engine = await drive(concurrency, { ms: (seconds * 1000) / rounds });
      engineTx += engine.perSecond / rounds;
      engineCpu += engine.cpuShare / rounds;
      referenceTx += pgbench(concurrency, seconds / rounds) / rounds;
    }
    console.log(
      [
        String(concurrency).padStart(11),
        engineTx.toFixed(0).padStart(11),
        referenceTx.toFixed(0).padStart(12),
        (engineTx / referenceTx).toFixed(2).padStart(14),
        `${(engineCpu * 100).toFixed(0)}%`.padStart(18),
      ].join('  '),
    );
  }

  if (soakTransitions > 0) {
    const samples: number[] = [];
    let peak = process.memoryUsage().rss;
    const every = Math.max(1, Math.floor(soakTransitions / 10));
    const soak = await drive(16, { count: soakTransitions }, (done) => {
      if (done % 100 !== 0) return; // reading RSS is a system call: sample, don't poll
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      if (done % every === 0) samples.push(rss);
    });
    console.log(
      `\nmemory over ${soak.done} transitions at concurrency 16 (${soak.perSecond.toFixed(0)} tx/s):\n  RSS every ${every}: ${samples.map(mb).join(', ')}\n  peak RSS ${mb(peak)}`,
    );
  }
} finally {
  await database.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
