import { Router } from 'express';
import { type Kysely, sql } from 'kysely';
import { pendingMigrations } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { sendProblem } from './problem.js';

/** Liveness answers while the process runs; readiness also needs the database and its schema. */
export function healthRoutes(db: Kysely<Database>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let pending: string[];
    try {
      await sql`select 1`.execute(db);
      pending = await pendingMigrations(db);
    } catch {
      return sendProblem(res, {
        code: 'not_ready',
        title: 'Not ready',
        detail: 'The database cannot be reached.',
      });
    }
    if (pending.length > 0) {
      return sendProblem(res, {
        code: 'not_ready',
        title: 'Not ready',
        detail: `Migrations not yet applied: ${pending.join(', ')}.`,
        pendingMigrations: pending,
      });
    }
    res.json({ status: 'ready', database: 'reachable', migrations: 'applied' });
  });
  return router;
}
