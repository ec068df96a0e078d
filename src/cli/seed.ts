import { ConfigError, demoClockStart, loadToolConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { openScenarioClock } from '../workflow/scenario-clock.js';
import { seedDemo } from '../workflow/seed-demo.js';
import { timerObserver } from '../workflow/timers.js';

// `npm run seed`: loads the 2005 demo scenario into the configured database (the embedded one seeds
// itself at start; PostgreSQL only through this command). Safe to run twice.

try {
  const config = loadToolConfig();
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    // The story happens in October 2005: on the demo's scenario clock unless CLOCK_START says
    // otherwise (a server started with the same CLOCK_START resumes that clock).
    const clock = await openScenarioClock(
      database.db,
      config.clockStart ?? new Date(demoClockStart),
    );
    const outcome = await seedDemo(database.db, clock, {
      password: config.demoPassword,
      observers: [timerObserver()],
    });
    process.stdout.write(`demo scenario: ${outcome} (${database.kind})\n`);
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ConfigError ? 78 : 1;
}
