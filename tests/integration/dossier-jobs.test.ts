import { type InsertObject, sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedSession } from '../../bench/dossier-records.js';
import { ScenarioClock } from '../../src/clock.js';
import type { Account, Database } from '../../src/db/schema.js';
import { inTransaction } from '../../src/db/transaction.js';
import { createPdfRenderer, type PdfRenderer } from '../../src/dossier/render-pdf.js';
import type { Deliveries } from '../../src/notifications/deliveries/runtime.js';
import { type BoundedWork, boundedWork } from '../../src/workflow/bounded-work.js';
import { buildSettled, requestDossierBuild } from '../../src/workflow/dossier/build-jobs.js';
import { type DossierQueue, startDossierQueue } from '../../src/workflow/dossier/build-queue.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { startTestDeliveries, testDeliveryConfig } from '../helpers/deliveries.js';

// Dossier builds as durable jobs on pg-boss: the job is written with the build's row (a request
// that rolls back leaves neither), a worker runs it, and a build left running by a process that
// died is found by its stopped heartbeat and built again.

let t: TestDatabase;
let deliveries: Deliveries;
let pdf: PdfRenderer;
let textWork: BoundedWork;
let jobs: DossierQueue;
let sessionId: string;
let secretariat: Account;
const clock = new ScenarioClock(new Date('2005-11-08T12:00:00Z'));

beforeAll(async () => {
  t = await freshDatabase();
  const stored = await storedSession(t.db, clock, { guidelines: 2, comments: 6 });
  sessionId = stored.sessionId;
  secretariat = await t.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', stored.secretariatId)
    .executeTakeFirstOrThrow();
  deliveries = await startTestDeliveries(t, testDeliveryConfig(), { runWorkers: false });
  pdf = createPdfRenderer();
  textWork = boundedWork();
  jobs = await startDossierQueue(
    deliveries.boss,
    { db: t.db, clock, pdf, textWork, logger: pino({ level: 'silent' }) },
    { runWorkers: true, sweepMs: 200, stalledMs: 5_000 },
  );
}, 60_000);

afterAll(async () => {
  await jobs?.stop();
  await pdf?.close();
  await textWork.close();
  await deliveries?.stop();
  await t?.close();
});

const jobsFor = async (buildId: string) =>
  (
    await sql<{ state: string }>`
      select state from pgboss.job where name = 'dossier-build' and data ->> 'buildId' = ${buildId}
    `.execute(t.db)
  ).rows.map((r) => r.state);

/** A build row as a failure leaves it, with no job: only the sweep can bring it back. */
const leftBehind = (purpose: string, state: Partial<InsertObject<Database, 'dossier_builds'>>) =>
  t.db
    .insertInto('dossier_builds')
    .values({
      gb_session_id: sessionId,
      options: JSON.stringify({ purpose }),
      requested_by: secretariat.id,
      requested_at: clock.now(),
      ...state,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

const build = (buildId: string) =>
  t.db.selectFrom('dossier_builds').selectAll().where('id', '=', buildId).executeTakeFirstOrThrow();

describe('dossier builds on the job queue', () => {
  it('runs a requested build on a worker: one job, one version', async () => {
    const requested = await requestDossierBuild(
      { db: t.db, clock, executor: jobs.executor },
      sessionId,
      { symbol: 'GB.294/ESP/3' },
      secretariat,
    );
    expect(await jobs.executor.settled(requested.id, 60_000)).toBe(true);
    expect(await build(requested.id)).toMatchObject({
      status: 'succeeded',
      version_number: 1,
      created_version: true,
      attempts: 1,
    });
    await expect.poll(() => jobsFor(requested.id)).toEqual(['completed']);
  }, 60_000);

  it('leaves neither a build nor a job when the request rolls back', async () => {
    let buildId = '';
    await expect(
      inTransaction(t.db, async (trx) => {
        buildId = (
          await requestDossierBuild(
            { db: trx, clock, executor: jobs.executor },
            sessionId,
            {},
            secretariat,
          )
        ).id;
        throw new Error('the request failed after its build was written');
      }),
    ).rejects.toThrow('the request failed');
    expect(buildId).not.toBe('');
    expect(
      await t.db.selectFrom('dossier_builds').select('id').where('id', '=', buildId).execute(),
    ).toEqual([]);
    expect(await jobsFor(buildId)).toEqual([]);
  });

  it('builds again a build whose process died while it ran', async () => {
    // As a killed process leaves it: taken, running, its heartbeat stopped a minute ago, no live job.
    const dead = await leftBehind('FOR INFORMATION', {
      status: 'running',
      started_at: sql<Date>`now() - interval '2 minutes'`,
      heartbeat_at: sql<Date>`now() - interval '1 minute'`,
      attempts: 1,
    });
    expect(await buildSettled(t.db, dead.id, 60_000)).toBe(true);
    expect(await build(dead.id)).toMatchObject({
      status: 'succeeded',
      version_number: 2,
      created_version: true,
      attempts: 2,
    });
    const version = await t.db
      .selectFrom('dossier_versions')
      .select('document')
      .where('gb_session_id', '=', sessionId)
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(version.document)).toContain('FOR INFORMATION');
  }, 60_000);

  it('queues again a build left waiting without a job, and a wait for it ends at its bound', async () => {
    // As a lost job leaves it: queued, no job, waiting since now.
    const orphan = await leftBehind('FOR DEBATE AND GUIDANCE', { heartbeat_at: sql<Date>`now()` });
    expect(await jobs.executor.settled(orphan.id, 300)).toBe(false);
    expect((await build(orphan.id)).status).toBe('queued');
    // Once it has waited longer than a build may be silent, the sweep gives it a job.
    expect(await buildSettled(t.db, orphan.id, 60_000)).toBe(true);
    expect(await build(orphan.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await jobsFor(orphan.id)).toContain('completed');
  }, 60_000);
});
