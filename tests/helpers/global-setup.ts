import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

// Runs once per `vitest` run. PGlite's initdb takes seconds; loading a dumped data directory takes
// under one, so every test file starts from one blank template made here. On PostgreSQL, fail fast
// with a clear message when TEST_DATABASE_URL cannot be reached.

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('select 1');
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL (${url}) cannot be reached: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  }
  const pglite = new PGlite();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = path.join(tmpdir(), `gre-pglite-template-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
}
