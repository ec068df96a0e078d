import { systemClock } from './clock.js';
import { ConfigError, loadToolConfig, type ToolConfig } from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createPdfRenderer } from './dossier/render-pdf.js';
import { engineObservers } from './engine-observers.js';
import { createLogger } from './logger.js';
import { startDeliveries } from './notifications/deliveries/runtime.js';
import { boundedWork } from './workflow/bounded-work.js';
import { startDossierQueue } from './workflow/dossier/build-queue.js';
import { scenarioClockFor } from './workflow/scenario-clock.js';
import { createTimerLoop, timerPassMs } from './workflow/timer-loop.js';

// `npm run worker`: the delivery and timer workers alone, against DATABASE_URL, for a deployment
// whose API processes run with DELIVERY_WORKERS=false. Several may run at once: pg-boss shares the
// deliveries out, the timers' row locks the timers.

async function main(): Promise<void> {
  let config: ToolConfig;
  try {
    config = loadToolConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  await migrateToLatest(database.db);
  const deliveries = await startDeliveries({
    config: config.deliveries,
    database: {
      ...database,
      url: config.database.kind === 'postgres' ? config.database.url : undefined,
    },
    logger,
    runWorkers: true,
    instanceName: 'worker',
  });
  // Deadlines and reminders fire here too, on the scenario clock the API processes share.
  const scenario = await scenarioClockFor(database.db, config);
  const timers = createTimerLoop({
    db: database.db,
    clock: scenario ?? systemClock,
    scenario,
    observers: engineObservers(deliveries, logger),
    logger,
  });
  timers.start(timerPassMs, { fire: true });
  const pdf = createPdfRenderer();
  const textWork = boundedWork();
  const dossier = await startDossierQueue(
    deliveries.boss,
    { db: database.db, clock: scenario ?? systemClock, pdf, textWork, logger },
    { runWorkers: true },
  );
  logger.info(
    { database: database.kind, email: config.deliveries.smtpUrl !== undefined },
    'delivery, timer and dossier workers running',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'delivery workers stopping');
    await timers.stop();
    await dossier.stop();
    await pdf.close();
    await textWork.close();
    await deliveries.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
