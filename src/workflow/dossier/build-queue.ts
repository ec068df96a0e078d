import { fromKysely, type PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { requeueStalledBuilds } from '../../db/dossier-versions.js';
import { inTransaction } from '../../db/transaction.js';
import { ensureQueues } from '../../notifications/deliveries/boss.js';
import type { DossierDeps } from './build-dossier.js';
import {
  buildSettled,
  buildStalledMs,
  type DossierExecutor,
  runDossierBuild,
} from './build-jobs.js';

// Dossier builds as durable jobs on pg-boss (SPEC section 6): the job is written in the request's
// transaction, so it exists exactly when the build's row does; any process running workers takes
// it (`npm start` by default, `npm run worker`), one build at a time each. A build whose process
// died leaves its row 'running' with a heartbeat that stops: a sweep, at start and every
// `sweepMs`, queues it again. Any process can wait for a build by watching its row.

const queue = 'dossier-build';

export interface DossierQueue {
  executor: DossierExecutor;
  stop(): Promise<void>;
}

export async function startDossierQueue(
  boss: PgBoss,
  deps: DossierDeps & { logger: Logger },
  options: { runWorkers: boolean; sweepMs?: number; stalledMs?: number },
): Promise<DossierQueue> {
  const stalledMs = options.stalledMs ?? buildStalledMs;
  await ensureQueues(boss, [queue], {
    // A handler fails as a whole only when the database was away; the build records its own failure.
    retryLimit: 5,
    retryDelay: 2,
    retryBackoff: true,
    expireInSeconds: 30 * 60,
    deleteAfterSeconds: 7 * 24 * 3600,
  });
  const enqueueAll = async (
    trx: Parameters<DossierExecutor['enqueue']>[0],
    ids: readonly string[],
  ): Promise<void> => {
    await boss.insert(
      queue,
      ids.map((buildId) => ({ data: { buildId } })),
      { db: fromKysely(trx) },
    );
  };
  const executor: DossierExecutor = {
    enqueue: (trx, buildId) => enqueueAll(trx, [buildId]),
    settled: (buildId, withinMs) => buildSettled(deps.db, buildId, withinMs),
  };

  let sweeper: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  if (options.runWorkers) {
    await boss.work<{ buildId: string }>(
      queue,
      { batchSize: 1, localConcurrency: 1, pollingIntervalSeconds: 1 },
      async ([job]) => {
        if (job) await runDossierBuild(deps, job.data.buildId, stalledMs);
      },
    );
    // Putting a build back and writing its job are one transaction: neither happens alone.
    const sweep = async () => {
      const stalled = await inTransaction(deps.db, async (trx) => {
        const ids = await requeueStalledBuilds(trx, stalledMs);
        if (ids.length > 0) await enqueueAll(trx, ids);
        return ids;
      });
      if (stalled.length > 0) {
        deps.logger.warn(
          { builds: stalled },
          'dossier builds stalled or left waiting, queued again',
        );
      }
    };
    const sweepSafely = () =>
      sweep().catch((err: unknown) => deps.logger.error({ err }, 'dossier build sweep failed'));
    sweeping = sweepSafely();
    await sweeping;
    sweeper = setInterval(() => {
      sweeping = sweepSafely();
    }, options.sweepMs ?? 10_000);
    sweeper.unref();
  }
  return {
    executor,
    async stop() {
      clearInterval(sweeper);
      await sweeping;
      if (options.runWorkers) await boss.offWork(queue, { wait: true }).catch(() => {});
    },
  };
}
