import express from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { SigningKeys } from './auth/keys.js';
import { healthRoutes } from './health.js';
import { errorHandler, notFound } from './problem.js';
import { guidelineCollectionRoutes } from './routes/guideline-collection.js';
import { guidelineRoutes } from './routes/guidelines.js';
import { sessionRoutes } from './routes/session.js';
import { workflowRoutes } from './routes/workflow.js';

export interface ApiDependencies {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  keys: SigningKeys;
  jwt: Config['jwt'];
}

export function createApp(deps: ApiDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(healthRoutes(deps.db));
  app.use(express.json({ limit: '1mb' }));
  app.use(sessionRoutes(deps));
  app.use(guidelineCollectionRoutes(deps));
  app.use(guidelineRoutes(deps));
  app.use(workflowRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
