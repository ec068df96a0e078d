import { type Kysely, sql, type Transaction } from 'kysely';
import type { Clock } from '../../clock.js';
import {
  claimDossierBuild,
  type DossierBuildRow,
  dossierBuildRow,
  insertDossierBuild,
  settleDossierBuild,
  touchDossierBuild,
} from '../../db/dossier-versions.js';
import type { Account, Database } from '../../db/schema.js';
import { afterCommit, inTransaction } from '../../db/transaction.js';
import type { DossierOptions } from '../../domain/dossier/records.js';
import { RecordNotFound } from '../errors.js';
import { buildDossier, type DossierDeps } from './build-dossier.js';

// A dossier build is a job: the request is a row (queued → running → succeeded | failed) that a
// client can poll, and an executor runs it. In a server the executor is a durable queue
// (build-queue.ts: pg-boss, the job written in the request's
// transaction, a stalled build queued again); the in-process one below serves tests and tools.

export interface DossierExecutor {
  /** In the request's transaction: arranges for the build to run once it commits. */
  enqueue(trx: Transaction<Database>, buildId: string): Promise<void>;
  /** Whether the build's row says it ended within `withinMs`; the waiting stops then either way. */
  settled(buildId: string, withinMs: number): Promise<boolean>;
}

/** How long a runner's silence means it died; it says it is alive four times as often. */
export const buildStalledMs = 20_000;

export async function requestDossierBuild(
  deps: { db: Kysely<Database>; clock: Clock; executor: DossierExecutor },
  sessionId: string,
  options: Partial<DossierOptions>,
  by: Account,
): Promise<DossierBuildRow> {
  return inTransaction(deps.db, async (trx) => {
    const session = await trx
      .selectFrom('gb_sessions')
      .select('id')
      .where('id', '=', sessionId)
      .executeTakeFirst();
    if (!session) throw new RecordNotFound('Governing Body session');
    // Options named here become the session's heading, so later builds keep them.
    if (Object.keys(options).length > 0) {
      await trx
        .updateTable('gb_sessions')
        .set({ paper: sql`paper || ${JSON.stringify(options)}::jsonb` })
        .where('id', '=', sessionId)
        .execute();
    }
    const build = await insertDossierBuild(trx, {
      gb_session_id: sessionId,
      options: JSON.stringify(options),
      requested_by: by.id,
      requested_at: deps.clock.now(),
      // Waiting counts from now: a build queued this long without a run is queued again.
      heartbeat_at: sql<Date>`now()`,
    });
    await deps.executor.enqueue(trx, build.id);
    return build;
  });
}

/**
 * Runs one queued build to its end, keeping its heartbeat while it works; a failure is recorded
 * on the row, never thrown. A build already taken (or finished) is left alone.
 */
export async function runDossierBuild(
  deps: DossierDeps,
  buildId: string,
  stalledMs = buildStalledMs,
): Promise<void> {
  const row = await claimDossierBuild(deps.db, buildId);
  if (!row) return;
  const heartbeat = setInterval(() => {
    // Missed beats only risk the build being run again, which makes the same version; the later
    // run then records the outcome.
    touchDossierBuild(deps.db, row).catch(() => undefined);
  }, stalledMs / 4);
  try {
    const by = await deps.db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', row.requested_by)
      .executeTakeFirstOrThrow();
    const result = await buildDossier(
      deps,
      row.gb_session_id,
      row.options as Partial<DossierOptions>,
      by,
    );
    await settleDossierBuild(deps.db, row, {
      status: 'succeeded',
      finished_at: deps.clock.now(),
      version_number: result.version.number,
      created_version: result.created,
    });
  } catch (error) {
    await settleDossierBuild(deps.db, row, {
      status: 'failed',
      finished_at: deps.clock.now(),
      error: (error as Error)?.message ?? String(error),
    });
  } finally {
    clearInterval(heartbeat);
  }
}

/** Whether the build has succeeded or failed within `withinMs`, polling its row. */
export async function buildSettled(
  db: Kysely<Database>,
  buildId: string,
  withinMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const row = await db
      .selectFrom('dossier_builds')
      .select('status')
      .where('id', '=', buildId)
      .executeTakeFirst();
    if (!row || row.status === 'succeeded' || row.status === 'failed') return true;
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(everyMs, left)));
  }
}

/**
 * Runs builds in this process, one after another, once their request has committed. Not durable:
 * a build in a process that dies stays queued. For tests and tools; servers use the job queue.
 */
export function inProcessExecutor(deps: DossierDeps): DossierExecutor {
  let queue: Promise<void> = Promise.resolve();
  const runs = new Map<string, Promise<void>>();
  return {
    async enqueue(trx, buildId) {
      afterCommit(trx, async () => {
        const run = queue.then(() => runDossierBuild(deps, buildId));
        queue = run.catch(() => undefined);
        runs.set(buildId, run);
        void run.finally(() => runs.delete(buildId)).catch(() => undefined);
      });
    },
    async settled(buildId, withinMs) {
      const run = runs.get(buildId);
      if (!run) return buildSettled(deps.db, buildId, withinMs);
      let timer: NodeJS.Timeout | undefined;
      const settled = await Promise.race([
        run.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), withinMs);
        }),
      ]);
      clearTimeout(timer);
      return settled;
    },
  };
}

export function dossierBuildStatus(db: Kysely<Database>, sessionId: string, buildId: string) {
  return dossierBuildRow(db, sessionId, buildId);
}
