import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { pendingMigrations } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { endpoint } from './endpoint.js';
import { HttpProblem } from './problem.js';

const liveSchema = z.strictObject({ status: z.literal('ok') }).meta({ id: 'Liveness' });
const readySchema = z
  .strictObject({
    status: z.literal('ready'),
    database: z.literal('reachable'),
    migrations: z.literal('applied'),
  })
  .meta({ id: 'Readiness' });

/** Liveness answers while the process runs; readiness also needs the database and its schema. */
export const healthEndpoints = (db: Kysely<Database>, logger: Logger) => [
  endpoint({
    method: 'get',
    path: '/healthz',
    tag: 'operations',
    summary: 'Liveness',
    signedIn: false,
    responses: { 200: { description: 'The process is running.', schema: liveSchema } },
    problems: [],
    handle(_input, _req, res) {
      res.json({ status: 'ok' });
    },
  }),
  endpoint({
    method: 'get',
    path: '/readyz',
    tag: 'operations',
    summary: 'Readiness: the database is reachable and every migration applied',
    signedIn: false,
    responses: { 200: { description: 'Ready to serve.', schema: readySchema } },
    problems: ['not_ready'],
    async handle(_input, _req, res) {
      let pending: string[];
      try {
        await sql`select 1`.execute(db);
        pending = await pendingMigrations(db);
      } catch (error) {
        logger.warn({ err: error }, 'readiness: the database cannot be reached');
        throw new HttpProblem({
          code: 'not_ready',
          title: 'Not ready',
          detail: 'The database cannot be reached.',
        });
      }
      if (pending.length > 0) {
        throw new HttpProblem({
          code: 'not_ready',
          title: 'Not ready',
          detail: `Migrations not yet applied: ${pending.join(', ')}.`,
          pendingMigrations: pending,
        });
      }
      res.json({ status: 'ready', database: 'reachable', migrations: 'applied' });
    },
  }),
];
