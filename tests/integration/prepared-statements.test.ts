import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/connect.js';
import {
  describeOnPostgres,
  freshDatabase,
  needsPostgres,
  type TestDatabase,
} from '../helpers/database.js';

describeOnPostgres(`prepared statements on PostgreSQL (${needsPostgres})`, () => {
  let t: TestDatabase;
  let one: DatabaseHandle;
  beforeAll(async () => {
    t = await freshDatabase();
    if (t.target.kind !== 'postgres') throw new Error('unreachable');
    // One connection, so every query below runs in the same session.
    one = await openDatabase({ ...t.target, poolSize: 1 });
  });
  afterAll(async () => {
    await one.close();
    await t.close();
  });

  it('a parameterised query is prepared once per connection and reused', async () => {
    for (let i = 0; i < 3; i++) {
      await one.db
        .selectFrom('framework_sections')
        .select('slug')
        .where('number', '=', i + 1)
        .execute();
    }
    const prepared = await sql<{ name: string; calls: number }>`
      select name, generic_plans + custom_plans as calls from pg_prepared_statements
      where statement like '%framework_sections%'`.execute(one.db);
    expect(prepared.rows).toHaveLength(1);
    expect(prepared.rows[0]?.name).toMatch(/^k[0-9a-f]{20}$/);
    expect(Number(prepared.rows[0]?.calls)).toBe(3);
  });

  it('after a column change the failing statement reports it and the next one runs on a fresh connection', async () => {
    await sql`create table scratch_rows (id int primary key, label text)`.execute(one.db);
    await sql`insert into scratch_rows values (1, 'one')`.execute(one.db);
    const read = () =>
      one.db
        .selectFrom('scratch_rows' as never)
        .selectAll()
        .where('id' as never, '=', 1 as never)
        .execute();
    expect(await read()).toEqual([{ id: 1, label: 'one' }]);
    await sql`alter table scratch_rows add column note text`.execute(one.db);
    const error = await read().then(
      () => null,
      (e: { code?: string }) => e,
    );
    expect(error?.code).toBe('0A000');
    expect(await read()).toEqual([{ id: 1, label: 'one', note: null }]);
  });
});
