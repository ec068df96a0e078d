import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as scenario from '../../seeds/scenario-2005.js';
import { readChain } from '../../src/db/audit.js';
import { findChainBreak } from '../../src/domain/audit-chain.js';
import { verifyPassword } from '../../src/domain/password.js';
import { seedDemo } from '../../src/workflow/seed-demo.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { frozenClock } from '../helpers/factories.js';

const tables = [
  'users',
  'meetings',
  'meeting_members',
  'gb_sessions',
  'guidelines',
  'audit_entries',
  'seed_runs',
] as const;

/** Every row of the seeded tables, so "changes nothing" is checked on content, not counts. */
async function contents(t: TestDatabase) {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const result = await sql<
      Record<string, unknown>
    >`select * from ${sql.table(table)} order by 1, 2`.execute(t.db);
    out[table] = result.rows;
  }
  return out;
}

describe('the 2005 demo scenario', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(() => t.close());

  it('seeds the meeting, its three groups of twelve with a spokesperson each, and the drafts', async () => {
    expect(await seedDemo(t.db, frozenClock(), { password: 'geneva2005' })).toBe('seeded');

    const experts = await t.db
      .selectFrom('users')
      .select([
        'group',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>(sql`spokesperson::int`).as('spokespersons'),
      ])
      .where('role', '=', 'expert')
      .groupBy('group')
      .orderBy('group')
      .execute();
    expect(experts.map((e) => [e.group, Number(e.n), Number(e.spokespersons)])).toEqual([
      ['employers', 12, 1],
      ['government', 12, 1],
      ['workers', 12, 1],
    ]);

    const meeting = await t.db.selectFrom('meetings').selectAll().executeTakeFirstOrThrow();
    expect(meeting.starts_at.toISOString()).toBe('2005-10-31T08:00:00.000Z');
    expect(meeting.ends_at.toISOString()).toBe('2005-11-02T17:00:00.000Z');
    const members = await t.db
      .selectFrom('meeting_members')
      .innerJoin('users', 'users.id', 'meeting_members.user_id')
      .select('users.role')
      .where('meeting_id', '=', meeting.id)
      .execute();
    expect(members.filter((m) => m.role === 'expert')).toHaveLength(36);
    expect(members.filter((m) => m.role === 'observer').length).toBeGreaterThan(0);

    const session = await t.db.selectFrom('gb_sessions').selectAll().executeTakeFirstOrThrow();
    expect(session.number).toBe(294);
    expect(session.document_deadline.getTime()).toBeLessThan(session.ends_at.getTime());

    const drafts = await t.db.selectFrom('guidelines').select(['state', 'title', 'text']).execute();
    expect(drafts).toHaveLength(scenario.guidelines.length);
    expect(drafts.every((d) => d.state === 'drafting' && d.text.includes('\n\n'))).toBe(true);
  });

  it('gives every demo account the demo password, the secretariat account included', async () => {
    const secretariat = await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'secretariat@example.org')
      .executeTakeFirstOrThrow();
    expect(secretariat).toMatchObject({ role: 'secretariat', active: true });
    expect(await verifyPassword('geneva2005', secretariat.password_hash)).toBe(true);
    expect(await verifyPassword('geneva2006', secretariat.password_hash)).toBe(false);
  });

  it('opens an intact audit chain for each draft', async () => {
    const guidelines = await t.db.selectFrom('guidelines').select('id').execute();
    for (const g of guidelines) {
      const chain = await readChain(t.db, `guideline:${g.id}`);
      expect(chain.map((e) => e.eventType)).toEqual(['CREATE']);
      expect(findChainBreak(chain)).toBeNull();
    }
  });

  it('seeding twice changes nothing', async () => {
    const before = await contents(t);
    expect(
      await seedDemo(t.db, frozenClock('2005-10-20T09:00:00Z'), { password: 'geneva2005' }),
    ).toBe('already-seeded');
    expect(await contents(t)).toEqual(before);
  });

  it('a new DEMO_PASSWORD re-keys the demo accounts and nothing else', async () => {
    const before = await contents(t);
    expect(await seedDemo(t.db, frozenClock(), { password: 'lausanne-2006' })).toBe(
      'passwords-updated',
    );
    const user = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'wkr01@example.org')
      .executeTakeFirstOrThrow();
    expect(await verifyPassword('lausanne-2006', user.password_hash)).toBe(true);
    const after = await contents(t);
    for (const table of [
      'meetings',
      'meeting_members',
      'gb_sessions',
      'guidelines',
      'audit_entries',
    ] as const) {
      expect(after[table]).toEqual(before[table]);
    }
    expect(after.users).toHaveLength(before.users!.length);
  });
});

describe('seeds/README.md', () => {
  it('lists every demo account a newcomer can sign in with', async () => {
    const readme = await readFile(new URL('../../seeds/README.md', import.meta.url), 'utf8');
    const listed = (email: string) => {
      const expert = /^(gov|emp|wkr)(\d\d)@/.exec(email);
      return expert
        ? readme.includes(`\`${expert[1]}01@example.org\` … \`${expert[1]}12@example.org\``)
        : readme.includes(`\`${email}\``);
    };
    expect(scenario.accounts.filter((a) => !listed(a.email)).map((a) => a.email)).toEqual([]);
    for (const g of scenario.guidelines) expect(readme).toContain(g.section);
  });
});
