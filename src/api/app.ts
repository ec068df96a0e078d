import express from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { healthRoutes } from './health.js';
import { errorHandler, notFound } from './problem.js';

export interface AppDependencies {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
}

export function createApp(deps: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(healthRoutes(deps.db));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
