import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ScenarioClock } from '../src/clock.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { User } from '../src/db/schema.js';
import { hashPassword } from '../src/domain/password.js';
import type { Actor } from '../src/domain/permissions.js';
import { initialSnapshot, persistSnapshot } from '../src/machines/snapshot.js';
import { createStepper } from '../src/machines/step.js';
import { applyEvent } from '../src/workflow/apply-event.js';
import { createGuideline } from '../src/workflow/create-guideline.js';
import type { GuidelineCommand } from '../src/workflow/events/index.js';

// What the benchmarks share: a database of their own on PostgreSQL, guidelines that alternate
// SUBMIT (drafter) and RETURN_TO_DRAFTER (secretariat) for ever, the engine driven in-process, and
// pgbench running the same two transaction shapes on the same tables as the yardstick.

export const GUIDELINES = 1000;
export const benchPassword = 'bench-password';
export const benchSeconds = Number(process.env.BENCH_SECONDS ?? 15);

const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

export type BenchDatabase = Awaited<ReturnType<typeof openBenchDatabase>>;

/** A fresh, migrated database of the benchmark's own, with a drafter and a secretariat account. */
export async function createBenchDatabase() {
  const name = `gre_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 20 });
  const { db } = database;
  const clock = new ScenarioClock(new Date('2005-10-03T09:00:00Z'));
  await migrateToLatest(db);
  const password_hash = await hashPassword(benchPassword);
  const [owner, secretariat] = (await db
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
    .execute()) as [User, User];
  const version = (await admin.query('show server_version')).rows[0].server_version as string;
  return {
    db,
    url: url.toString(),
    clock,
    owner,
    secretariat,
    version,
    passwordHash: password_hash,
    async close() {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** One drafting guideline of the bench's drafter, in the framework's first section. */
export async function benchGuideline(
  bench: Pick<Awaited<ReturnType<typeof createBenchDatabase>>, 'db' | 'clock' | 'owner'>,
  references: string[],
) {
  const section = await bench.db
    .selectFrom('framework_sections')
    .select('id')
    .executeTakeFirstOrThrow();
  return createGuideline(bench.db, bench.clock, {
    ownerId: bench.owner.id,
    sectionId: section.id,
    title: 'Recruitment',
    text: 'Governments should license recruitment agencies.',
    references,
  });
}

/** A bench database with `sets` groups of GUIDELINES drafting guidelines, plus pgbench's own set. */
export async function openBenchDatabase(sets: number) {
  const base = await createBenchDatabase();
  const { db, clock, owner } = base;
  const section = await db.selectFrom('framework_sections').select('id').executeTakeFirstOrThrow();
  const idSets: string[][] = [];
  for (let s = 0; s <= sets; s++) {
    const ids: string[] = [];
    for (let i = 0; i < GUIDELINES; i++) {
      const g = await createGuideline(db, clock, {
        ownerId: owner.id,
        sectionId: section.id,
        title: `Guideline ${s}.${i + 1}`,
        text: 'Governments should license recruitment agencies.\n\nFees should not be charged to workers.',
        references: ['C181'],
      });
      ids.push(g.id);
    }
    idSets.push(ids);
  }
  const referenceIds = idSets.pop() as string[];
  await db.schema
    .createTable('bench_ids')
    .addColumn('n', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'uuid')
    .execute();
  await db
    .insertInto('bench_ids' as never)
    .values(referenceIds.map((id, i) => ({ n: i + 1, id })) as never)
    .execute();
  return {
    ...base,
    idSets,
    pgbench: pgbenchRunner(base.url, owner, base.secretariat),
  };
}

/** Runs `concurrency` workers, each on its own guidelines, for `count` steps or `ms` milliseconds. */
export async function drive(
  concurrency: number,
  limit: { count?: number; ms?: number },
  step: (guideline: number) => Promise<void>,
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
      // Worker w cycles over guidelines w, w + c, w + 2c, …: workers never share a row.
      const own = Array.from({ length: GUIDELINES }, (_, i) => i).filter(
        (i) => i % concurrency === w,
      );
      for (let k = 0; more(); k++) {
        await step(own[k % own.length] as number);
        done++;
        onProgress?.(done);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { done, perSecond: done / elapsed, cpuShare: (cpu.user + cpu.system) / 1e6 / elapsed };
}

/** The engine in-process on one set of guidelines: SUBMIT, RETURN_TO_DRAFTER, SUBMIT, … */
export function engineStepper(bench: BenchDatabase, ids: readonly string[]) {
  const person = (u: User): Actor => ({
    kind: 'user',
    id: u.id,
    role: u.role,
    group: null,
    spokesperson: false,
  });
  const drafter = person(bench.owner);
  const staff = person(bench.secretariat);
  const nextIsSubmit = new Array<boolean>(ids.length).fill(true);
  // As main.ts gives the engine: the process's stepper.
  const step = createStepper();
  return async (i: number) => {
    const submit = nextIsSubmit[i];
    const command: GuidelineCommand = submit
      ? { type: 'SUBMIT' }
      : { type: 'RETURN_TO_DRAFTER', reason: 'Please revise.' };
    await applyEvent(
      { db: bench.db, clock: bench.clock, step },
      ids[i] as string,
      command,
      submit ? drafter : staff,
    );
    nextIsSubmit[i] = !submit;
  };
}

// The same two shapes as the engine's SUBMIT and RETURN_TO_DRAFTER, with equal weight, writing the
// same data: a stored snapshot of the real machine, an audit payload, notification data.
function pgbenchRunner(url: string, owner: User, secretariat: User) {
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

  return (concurrency: number, forSeconds: number) => {
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
        url,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
    if (!tps) throw new Error(`could not read pgbench's figure:\n${output}`);
    return Number(tps);
  };
}

export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
