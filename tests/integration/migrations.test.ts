import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import {
  latestMigration,
  migrateDownAll,
  migrateToLatest,
  pendingMigrations,
} from '../../src/db/migrate.js';
import { migrationProvider, migrations } from '../../src/db/migrations/index.js';
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

  it('backfill the head of each guideline’s audit chain when that column arrives', async () => {
    await migrateDownAll(t.db);
    const migrator = new Migrator({ db: t.db, provider: migrationProvider });
    const before = await migrator.migrateTo('20261129_0002_decisions');
    expect(before.error).toBeUndefined();
    const owner = await t.db
      .insertInto('users')
      .values({
        email: 'backfill@example.org',
        name: 'Drafter',
        role: 'drafter',
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const section = await t.db
      .selectFrom('framework_sections')
      .select('id')
      .executeTakeFirstOrThrow();
    // Written by hand with the columns the schema had then (the head columns did not exist yet).
    const guideline = await sql<{ id: string }>`
      insert into guidelines (section_id, owner_id, title, text, machine_version, snapshot, state)
      values (${section.id}, ${owner.id}, 'Old guideline', 'Text.', 1, '{"value":"drafting"}', 'drafting')
      returning id`.execute(t.db);
    const id = guideline.rows[0]!.id;
    const hashes = ['a', 'b'].map((c) => c.repeat(64));
    for (const [i, hash] of hashes.entries()) {
      await t.db
        .insertInto('audit_entries')
        .values({
          chain: `guideline:${id}`,
          seq: i + 1,
          guideline_id: id,
          event_type: i === 0 ? 'CREATE' : 'SUBMIT',
          payload: '{}',
          occurred_at: new Date(),
          prev_hash: i === 0 ? null : hashes[0]!,
          hash,
        })
        .execute();
    }
    await migrateToLatest(t.db);
    const row = await t.db
      .selectFrom('guidelines')
      .select(['audit_seq', 'audit_hash'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ audit_seq: 2, audit_hash: hashes[1] });
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
