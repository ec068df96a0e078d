import { type Clock, ScenarioClock, systemClock } from '../clock.js';
import { ConfigError, loadToolConfig } from '../config.js';
import { openDatabase } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { seedDemo } from '../workflow/seed-demo.js';

// `npm run seed`: loads the 2005 demo scenario into the configured database (the embedded one seeds
// itself at start; PostgreSQL only through this command). Safe to run twice.

try {
  const config = loadToolConfig();
  const clock: Clock = config.clockStart ? new ScenarioClock(config.clockStart) : systemClock;
  const database = await openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    const outcome = await seedDemo(database.db, clock, { password: config.demoPassword });
    process.stdout.write(`demo scenario: ${outcome} (${database.kind})\n`);
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = error instanceof ConfigError ? 78 : 1;
}
