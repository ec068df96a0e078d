import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { preparingPool } from './prepared-pool.js';
import type { Database } from './schema.js';

// The one dialect factory: PostgreSQL through a pg pool when a URL is given, otherwise embedded
// PGlite, persisted in a directory or held in memory (tests).

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  /** Without dataDir PGlite lives in memory; loadDataDir starts it from a dumped data directory. */
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseTarget['kind'];
  /** The embedded database itself, for what Kysely does not offer: its in-process LISTEN. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

// Both drivers hand back the same JavaScript types: bigint and numeric columns as numbers (the
// values we store fit a double), so code and tests never see a driver difference.
const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (value: string) => Number(value);

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8 || oid === NUMERIC
            ? toNumber
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that loses its server must not crash the process (a checked-out one is
    // listened to in prepared-pool.ts); the pool drops it and connects afresh when next asked.
    pool.on('error', () => {});
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: preparingPool(pool) }),
    });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }

  if (target.dataDir) await mkdir(target.dataDir, { recursive: true });
  // One options object: PGlite ignores a second argument when the first is not a path.
  const pglite = new PGlite({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    ...(target.loadDataDir ? { loadDataDir: target.loadDataDir } : {}),
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
  });
  await pglite.waitReady;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  // Destroying the Kysely driver closes PGlite, which flushes it to disk.
  return { db, kind: 'pglite', pglite, close: () => db.destroy() };
}
