import * as scenario from '../seeds/scenario-2005.js';
import { createApp } from './api/app.js';
import { signingKeys } from './api/auth/keys.js';
import { startWebServer } from './api/server.js';
import { type Clock, ScenarioClock, systemClock } from './clock.js';
import {
  type Config,
  ConfigError,
  demoClockStart,
  demoPasswordDefault,
  loadConfig,
} from './config.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { sectionCatalogue } from './db/sections.js';
import { createPdfRenderer } from './dossier/render-pdf.js';
import { engineObservers } from './engine-observers.js';
import { createLogger } from './logger.js';
import { createStepper } from './machines/step.js';
import { startDeliveries } from './notifications/deliveries/runtime.js';
import { createStreamHub } from './notifications/stream/hub.js';
import { pgliteStreamSource, postgresStreamSource } from './notifications/stream/sources.js';
import { boundedWork } from './workflow/bounded-work.js';
import { startDossierQueue } from './workflow/dossier/build-queue.js';
import { scenarioClockFor } from './workflow/scenario-clock.js';
import { seedDemo } from './workflow/seed-demo.js';
import { createTimerLoop, timerPassMs } from './workflow/timer-loop.js';
import { timerObserver } from './workflow/timers.js';

// The composition root: configuration, clock, database, app; then start, and stop cleanly.

async function main(): Promise<void> {
  const startedAt = performance.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config.database);
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  // A scenario clock resumes where the database says it stood; otherwise system time.
  const scenarioClock = await scenarioClockFor(database.db, config);
  const clock: Clock = scenarioClock ?? systemClock;

  // The embedded database is the demo: it seeds itself. PostgreSQL is seeded only on request.
  const embedded = config.database.kind === 'pglite';
  if (embedded) {
    // The seeded consultation and vote get their deadlines and reminders; nobody is e-mailed.
    // The story happens in October 2005: on system time (CLOCK_START=now) it is still told there,
    // and its deadlines, long past, fire at once.
    const outcome = await seedDemo(
      database.db,
      scenarioClock ?? new ScenarioClock(new Date(demoClockStart)),
      {
        password: config.demoPassword,
        observers: [timerObserver()],
      },
    );
    logger.info({ outcome }, 'demo scenario');
  }

  // The live stream: this process's hub, told of this process's commits directly and of the
  // others' by LISTEN/NOTIFY (in-process on the embedded database); it publishes the rows the
  // engine's stream observer writes in each event's transaction.
  const source =
    config.database.kind === 'postgres'
      ? postgresStreamSource(config.database.url, logger)
      : pgliteStreamSource(requirePglite(database.pglite));
  const hub = createStreamHub({
    db: database.db,
    source,
    logger,
    heartbeatMs: config.stream.heartbeatMs,
  });
  await hub.start();

  // E-mail and webhook deliveries: pg-boss on this database; the workers run here unless
  // DELIVERY_WORKERS=false (then `npm run worker` runs them elsewhere).
  const deliveries = await startDeliveries({
    config: config.deliveries,
    database: {
      ...database,
      url: config.database.kind === 'postgres' ? config.database.url : undefined,
    },
    logger,
    runWorkers: config.deliveries.workersInProcess,
    instanceName: 'api',
  });

  const observers = engineObservers(deliveries, logger, hub);
  // The machine's transition, made once for the process (machines/step.ts says why).
  const step = createStepper();
  const timers = createTimerLoop({
    db: database.db,
    clock,
    step,
    scenario: scenarioClock,
    observers,
    logger,
  });
  // Timers fire where the workers run; POST /clock/advance fires what it made due either way.
  timers.start(timerPassMs, { fire: config.deliveries.workersInProcess });

  // Governing Body dossiers are built as durable jobs, by the workers like deliveries; their diffs,
  // like the diff route's, run in the process's pool for work on user text.
  const pdf = createPdfRenderer();
  const textWork = boundedWork();
  const dossier = await startDossierQueue(
    deliveries.boss,
    { db: database.db, clock, pdf, textWork, logger },
    { runWorkers: config.deliveries.workersInProcess },
  );

  const keys = await signingKeys(config);
  const app = createApp({
    db: database.db,
    clock,
    logger,
    keys,
    jwt: config.jwt,
    http: config.http,
    sections: sectionCatalogue(database.db),
    textWork,
    step,
    observers,
    timers,
    stream: { hub },
    dossier: { executor: dossier.executor },
    deliveries: {
      queue: deliveries.queue,
      allowPrivateWebhooks: config.deliveries.allowPrivateWebhooks,
    },
  });
  const web = await startWebServer(app, { port: config.port, host: config.host });
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2);
  logger.info({ url: web.url, database: database.kind, startupSeconds: seconds }, 'listening');
  process.stdout.write(banner(config, web.url, scenarioClock, embedded, seconds));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, draining requests');
    try {
      // Open streams are not idle connections: end them first, so the server can close.
      await hub.stop();
      await web.close();
      await timers.stop();
      await dossier.stop();
      await pdf.close();
      await textWork.close();
      await deliveries.stop();
      await database.close();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function requirePglite<T>(pglite: T | undefined): T {
  if (!pglite) throw new Error('the embedded database handle has no PGlite instance');
  return pglite;
}

function clockLines(url: string, clock: ScenarioClock | undefined): string[] {
  if (!clock) return ['  clock:    system time (deadlines fire as they pass)'];
  return [
    `  clock:    scenario clock, now ${clock.now().toISOString()} (started from ${clock.start.toISOString()}; it runs in real time and resumes there after a restart)`,
    `            move it as the secretariat: POST ${url}/api/v1/clock/advance {"seconds": 86400}; due deadlines and reminders fire`,
    '            CLOCK_START=now runs on system time; CLOCK_START=<ISO time> starts elsewhere',
  ];
}

function banner(
  config: Config,
  url: string,
  clock: ScenarioClock | undefined,
  embedded: boolean,
  seconds: string,
) {
  const lines = [
    '',
    `Guideline Review Engine listening on ${url} (started in ${seconds} s)`,
    `  database: ${embedded ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    ...clockLines(url, clock),
    `  delivery: ${config.deliveries.smtpUrl ? 'e-mail on' : 'e-mail off (set SMTP_URL)'}, webhooks on; workers ${config.deliveries.workersInProcess ? 'in this process' : 'in npm run worker'}`,
    `  health:   ${url}/healthz   readiness: ${url}/readyz`,
    `  api docs: ${url}/docs   (OpenAPI 3.1 at ${url}/openapi.json)`,
  ];
  if (embedded) {
    const shown = scenario.accounts.filter(
      (a) => a.role !== 'expert' || a.spokesperson || a.email.endsWith('02@example.org'),
    );
    // The default is shown; a password of one's own is not printed.
    const password =
      config.demoPassword === demoPasswordDefault
        ? demoPasswordDefault
        : 'the DEMO_PASSWORD you set';
    lines.push(`  demo accounts (password: ${password}):`);
    for (const a of shown) {
      lines.push(
        `    ${a.email.padEnd(28)} ${a.role}${a.group ? ` / ${a.group}` : ''}${a.spokesperson ? ' (spokesperson)' : ''}`,
      );
    }
    lines.push(
      `    … ${scenario.accounts.length - shown.length} more experts: see seeds/README.md`,
    );
  }
  return `${lines.join('\n')}\n\n`;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
