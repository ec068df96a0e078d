import { fromKysely, type PgBoss } from 'pg-boss';
import { gatherDigests, overdueDeliveries } from '../../db/deliveries.js';
import { ensureQueues } from './boss.js';
import { type DeliveryDeps, deliverBatch } from './deliver.js';
import type { DeliveryQueue } from './queue.js';

// The delivery jobs on pg-boss: `deliveries-send` (one job per try of a delivery), a sweep each
// minute for tries whose job was lost (rows written without a queue, a worker killed mid-try), and
// the daily digest on its cron schedule.

const queues = {
  send: 'deliveries-send',
  sweep: 'deliveries-sweep',
  digest: 'deliveries-digest',
} as const;

/**
 * How late a due try may be before the sweep queues it again: a job in the queue runs within
 * seconds, and a second job for one delivery finds it claimed and does nothing. A try that was in
 * flight when its worker died is due again at the end of its lease, so it is resent within
 * lease + this + the sweep's minute after a crash.
 */
const sweepGraceMs = 15_000;

/** The queues exist (idempotent) and jobs can be enqueued through any transaction. */
export async function deliveryQueue(boss: PgBoss): Promise<DeliveryQueue> {
  await ensureQueues(boss, Object.values(queues), {
    // pg-boss retries only a batch whose handler failed as a whole (the database was away);
    // a delivery's own retries are rows and new jobs, with the backoff we choose.
    retryLimit: 10,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: 300,
    deleteAfterSeconds: 24 * 3600,
    notify: true,
  });
  return {
    async enqueue(trx, tries) {
      await boss.insert(
        queues.send,
        tries.map((t) => ({
          data: { deliveryId: t.deliveryId },
          ...(t.startAfter ? { startAfter: t.startAfter } : {}),
        })),
        { db: fromKysely(trx) },
      );
    },
  };
}

export interface DeliveryWorkerOptions {
  digestCron: string;
  /** Deliveries tried together by one worker. */
  batchSize: number;
  /** Workers in this process. */
  concurrency: number;
}

/** Runs the workers in this process until `stop()`. */
export async function startDeliveryWorkers(
  boss: PgBoss,
  deps: DeliveryDeps,
  options: DeliveryWorkerOptions,
): Promise<{ stop(): Promise<void> }> {
  const log = deps.logger;
  await boss.work<{ deliveryId: string }>(
    queues.send,
    {
      batchSize: options.batchSize,
      localConcurrency: options.concurrency,
      pollingIntervalSeconds: 0.5,
      // NOTIFY wakes a worker when a job is made, not when a delayed retry comes due: keep polling.
      notifyPollingIntervalSeconds: 0.5,
      burstWhenBatchFull: true,
    },
    async (jobs) => {
      await deliverBatch(
        deps,
        jobs.map((j) => j.data.deliveryId),
      );
    },
  );
  await boss.work(
    queues.sweep,
    { pollingIntervalSeconds: 5, notifyPollingIntervalSeconds: 5 },
    async () => {
      const overdue = await overdueDeliveries(deps.db, deps.wallClock.now(), sweepGraceMs);
      if (overdue.length === 0) return;
      log.info({ deliveries: overdue.length }, 'sweep: deliveries overdue, tried again');
      await deps.db.transaction().execute((trx) =>
        deps.queue.enqueue(
          trx,
          overdue.map((deliveryId) => ({ deliveryId })),
        ),
      );
    },
  );
  await boss.work(
    queues.digest,
    { pollingIntervalSeconds: 5, notifyPollingIntervalSeconds: 5 },
    async () => {
      await sendDailyDigests(deps);
    },
  );
  await boss.schedule(queues.sweep, '* * * * *');
  await boss.schedule(queues.digest, options.digestCron, null, { tz: 'UTC' });
  // After a start (a crash included), what was due is looked for at once rather than in a minute.
  await boss.send(queues.sweep, {});
  return {
    async stop() {
      for (const name of Object.values(queues)) {
        await boss.offWork(name, { wait: true }).catch(() => {});
      }
    },
  };
}

/** Bundles the waiting digest items into one message per recipient and channel, and sends them. */
export async function sendDailyDigests(deps: Pick<DeliveryDeps, 'db' | 'queue' | 'wallClock'>) {
  return deps.db.transaction().execute(async (trx) => {
    const digests = await gatherDigests(trx, deps.wallClock.now());
    if (digests.length > 0) {
      await deps.queue.enqueue(
        trx,
        digests.map((deliveryId) => ({ deliveryId })),
      );
    }
    return digests;
  });
}
