import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { type Db, PgBoss, type Queue } from 'pg-boss';
import type { Database } from '../../db/schema.js';

// pg-boss on either database. On PostgreSQL it has a pool and a schema of its own. On the embedded
// database there is one connection: every pg-boss statement waits for Kysely's connection, so it
// never lands inside an application transaction (and never deadlocks against one), and the
// parameterless multi-statement SQL pg-boss uses for its schema goes to PGlite's exec().

export const bossSchema = 'pgboss';

export type BossTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; db: Kysely<Database>; pglite: PGlite };

export function createBoss(target: BossTarget, instanceName: string): PgBoss {
  const common = {
    schema: bossSchema,
    instanceName,
    useListenNotify: true,
    // Maintenance runs in the background; a small machine need not check every few seconds.
    superviseIntervalSeconds: 60,
  };
  if (target.kind === 'postgres') {
    return new PgBoss({ ...common, connectionString: target.url, max: 4 });
  }
  return new PgBoss({ ...common, backend: 'pglite', db: pgliteBossDb(target.db, target.pglite) });
}

/**
 * Makes each queue that does not exist yet (with these options; an existing one keeps its own),
 * then reads the list once more, so pg-boss knows every queue before a transaction enqueues into one.
 */
export async function ensureQueues(
  boss: PgBoss,
  names: readonly string[],
  options: Omit<Queue, 'name'>,
): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const name of names) {
    if (!existing.has(name)) await boss.createQueue(name, options);
  }
  await boss.getQueues();
}

function pgliteBossDb(db: Kysely<Database>, pglite: PGlite): Db {
  const exclusive = <T>(work: () => Promise<T>) => db.connection().execute(work);
  return {
    executeSql: (text, values) =>
      exclusive(async () => {
        try {
          if (values && values.length > 0) return await pglite.query(text, values);
          const results = await pglite.exec(text);
          return { rows: results.flatMap((r) => r.rows ?? []) };
        } catch (error) {
          // A failed statement inside pg-boss's own BEGIN … COMMIT would poison the one session.
          await pglite.query('rollback').catch(() => undefined);
          throw error;
        }
      }),
    // PGlite's LISTEN is in-process; NOTIFYs from a committed transaction wake the workers at once.
    listen: async (channel, onNotification, onReconnect) => {
      const unlisten = await exclusive(() => pglite.listen(channel, onNotification));
      onReconnect();
      return { close: () => exclusive(() => unlisten()) };
    },
  };
}
