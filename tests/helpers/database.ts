import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { type DatabaseHandle, type DatabaseTarget, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

// Every test file gets a database of its own, so files run in parallel without seeing each other:
// an in-memory PGlite by default, a freshly created PostgreSQL database when TEST_DATABASE_URL is set.

export const postgresUrl = process.env.TEST_DATABASE_URL;
export const onPostgres = postgresUrl !== undefined;

/** For tests that need a real server: concurrency, locking, LISTEN/NOTIFY. */
export const describeOnPostgres = describe.skipIf(!onPostgres);
export const needsPostgres = 'needs PostgreSQL (set TEST_DATABASE_URL): PGlite has one connection';

export interface TestDatabase extends DatabaseHandle {
  /** How to open another connection pool to the same database (PostgreSQL only). */
  readonly target: DatabaseTarget;
}

export async function freshDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const target = postgresUrl ? await createPostgresDatabase(postgresUrl) : await pgliteTarget();
  const handle = await openDatabase(target);
  if (options.migrate ?? true) await migrateToLatest(handle.db);
  return {
    ...handle,
    target,
    close: async () => {
      await handle.close();
      if (target.kind === 'postgres') await dropPostgresDatabase(postgresUrl!, target.url);
    },
  };
}

async function pgliteTarget(): Promise<DatabaseTarget> {
  const template = await readFile(inject('pgliteTemplate'));
  return { kind: 'pglite', loadDataDir: new Blob([template]) };
}

async function createPostgresDatabase(adminUrl: string): Promise<DatabaseTarget> {
  const base = new URL(adminUrl);
  const name =
    `${base.pathname.slice(1) || 'postgres'}_t${process.pid}_${randomBytes(4).toString('hex')}`
      .toLowerCase()
      .slice(0, 63);
  await withAdmin(adminUrl, (client) => client.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { kind: 'postgres', url: url.toString() };
}

async function dropPostgresDatabase(adminUrl: string, url: string) {
  const name = new URL(url).pathname.slice(1);
  await withAdmin(adminUrl, (client) =>
    client.query(`drop database if exists "${name}" with (force)`),
  );
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
