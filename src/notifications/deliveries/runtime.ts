import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { type Clock, systemClock } from '../../clock.js';
import type { DeliveryConfig } from '../../config.js';
import type { DatabaseHandle } from '../../db/connect.js';
import type { EventObserver } from '../../workflow/observers.js';
import { createMailer } from '../email/mailer.js';
import { createBoss } from './boss.js';
import type { DeliveryQueue } from './queue.js';
import { deliveryObserver, recordDeliveries } from './record.js';
import { deliveryQueue, startDeliveryWorkers } from './workers.js';

// Deliveries in a process: pg-boss on the process's database, the queue events enqueue into, and —
// in `npm start` by default and always in `npm run worker` — the workers that send.

export interface Deliveries {
  /** The process's pg-boss, which other durable jobs (dossier builds) share. */
  boss: PgBoss;
  queue: DeliveryQueue;
  observer: EventObserver;
  /** For notifications not born of an event (reminders): their deliveries, in their transaction. */
  record: (
    trx: Parameters<typeof recordDeliveries>[0],
    ids: readonly string[],
  ) => Promise<string[]>;
  stop(): Promise<void>;
}

export async function startDeliveries(options: {
  config: DeliveryConfig;
  database: DatabaseHandle & { url?: string | undefined };
  logger: Logger;
  runWorkers: boolean;
  instanceName: string;
  wallClock?: Clock;
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
}): Promise<Deliveries> {
  const { config, database, logger } = options;
  const wallClock = options.wallClock ?? systemClock;
  const target =
    database.kind === 'postgres'
      ? { kind: 'postgres' as const, url: requireUrl(database.url) }
      : { kind: 'pglite' as const, db: database.db, pglite: requirePglite(database.pglite) };
  const boss = createBoss(target, options.instanceName);
  boss.on('error', (error) => logger.error({ err: error }, 'delivery jobs: pg-boss error'));
  await boss.start();
  const queue = await deliveryQueue(boss);
  const mailer = config.smtpUrl
    ? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom })
    : undefined;
  const workers = options.runWorkers
    ? await startDeliveryWorkers(
        boss,
        {
          db: database.db,
          queue,
          wallClock,
          logger,
          retry: config.retry,
          leaseMs: options.leaseMs ?? 60_000,
          mailer,
          webhooks: { allowPrivate: config.allowPrivateWebhooks, timeoutMs: 10_000 },
          publicUrl: config.publicUrl,
        },
        {
          digestCron: config.digestCron,
          batchSize: options.batchSize ?? 50,
          concurrency: options.concurrency ?? (database.kind === 'postgres' ? 4 : 1),
        },
      )
    : undefined;
  const recordOptions = { queue, email: config.smtpUrl !== undefined, wallClock };
  return {
    boss,
    queue,
    observer: deliveryObserver(recordOptions),
    record: (trx, ids) => recordDeliveries(trx, ids, recordOptions),
    async stop() {
      await workers?.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      mailer?.close();
    },
  };
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('pg-boss on PostgreSQL needs the database URL');
  return url;
}

function requirePglite<T>(pglite: T | undefined): T {
  if (!pglite) throw new Error('the embedded database handle has no PGlite instance');
  return pglite;
}
