import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import {
  latestMigration,
  migrateDownAll,
  migrateToLatest,
  pendingMigrations,
} from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import {
  describeOnPostgres,
  freshDatabase,
  needsPostgres,
  type TestDatabase,
} from '../helpers/database.js';

async function tableNames(t: TestDatabase) {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely%'
    order by table_name`.execute(t.db);
  return rows.rows.map((r) => r.table_name);
}

describe('migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
  });
  afterAll(() => t.close());

  it('go up, down and up again, leaving the same schema and reference data', async () => {
    expect(await pendingMigrations(t.db)).toEqual(Object.keys(migrations));

    expect(await migrateToLatest(t.db)).toEqual(Object.keys(migrations));
    const tables = await tableNames(t);
    expect(tables).toEqual(
      expect.arrayContaining(['users', 'guidelines', 'revisions', 'ballots', 'audit_entries']),
    );
    const sections = await t.db
      .selectFrom('framework_sections')
      .select('slug')
      .orderBy('number')
      .execute();
    expect(sections.map((s) => s.slug)).toEqual([
      'decent-work',
      'international-cooperation',
      'knowledge-base',
      'effective-management',
      'protection',
      'abusive-practices',
      'migration-process',
      'social-integration',
      'migration-development',
    ]);

    expect(await migrateDownAll(t.db)).toEqual(Object.keys(migrations).reverse());
    expect(await tableNames(t)).toEqual([]);
    expect(await pendingMigrations(t.db)).toEqual(Object.keys(migrations));

    await migrateToLatest(t.db);
    expect(await tableNames(t)).toEqual(tables);
    expect(await t.db.selectFrom('framework_sections').select('slug').execute()).toHaveLength(9);
  });

  it('do nothing when the database is up to date', async () => {
    await migrateToLatest(t.db);
    expect(await migrateToLatest(t.db)).toEqual([]);
    expect(await pendingMigrations(t.db)).toEqual([]);
    expect(latestMigration).toBe(Object.keys(migrations).at(-1));
  });
});

describeOnPostgres('migrations on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
  });
  afterAll(() => t.close());

  it(`two processes starting at once migrate once between them (${needsPostgres})`, async () => {
    const [a, b] = await Promise.all([openDatabase(t.target), openDatabase(t.target)]);
    try {
      const applied = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
      expect(applied.flat().sort()).toEqual(Object.keys(migrations).sort());
      expect(applied.some((names) => names.length === 0)).toBe(true);
      const sections = await t.db.selectFrom('framework_sections').select('slug').execute();
      expect(sections).toHaveLength(9);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
