import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as scenario from '../../seeds/scenario-2005.js';
import { accountColumns } from '../../src/db/accounts.js';
import { readChain } from '../../src/db/audit.js';
import { anchorProblem, type QuoteAnchor } from '../../src/domain/anchors.js';
import { findChainBreak } from '../../src/domain/audit-chain.js';
import { verifyPassword } from '../../src/domain/password.js';
import { actorOf } from '../../src/domain/permissions.js';
import { restoreSnapshot } from '../../src/machines/snapshot.js';
import { actionVerdict } from '../../src/workflow/allowed-actions.js';
import { allowedEvents } from '../../src/workflow/allowed-events.js';
import type { EventObserver, WrittenEvent } from '../../src/workflow/observers.js';
import { seedDemo } from '../../src/workflow/seed-demo.js';
import { standingOf } from '../../src/workflow/standing.js';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import { openVote } from '../../src/workflow/votes.js';
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

/** The guidelines the scenario leaves in drafting: the others are taken on through the review. */
const draftTitles = scenario.guidelines.filter((g) => g.stage === 'drafting').map((g) => g.title);

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

    const drafts = await t.db
      .selectFrom('guidelines')
      .select(['state', 'title', 'text'])
      .where('title', 'in', draftTitles)
      .execute();
    expect(drafts).toHaveLength(draftTitles.length);
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
    const guidelines = await t.db
      .selectFrom('guidelines')
      .select('id')
      .where('title', 'in', draftTitles)
      .execute();
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

/** Every row of the tables the story writes, in an order of their own, to compare two moments. */
async function story(t: TestDatabase) {
  const out: Record<string, string[]> = {};
  for (const table of [
    'users',
    'guidelines',
    'revisions',
    'comments',
    'positions',
    'votes',
    'vote_weights',
    'ballots',
    'consensus_records',
    'audit_entries',
    'notifications',
    'seed_runs',
  ] as const) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      t.db,
    );
    out[table] = result.rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

describe('the demo story on first start', () => {
  const clock = frozenClock('2005-10-03T09:00:00Z');
  const told: WrittenEvent[] = [];
  const observer: EventObserver = { written: async (_trx, event) => void told.push(event) };
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
    expect(await seedDemo(t.db, clock, { password: 'geneva2005', observers: [observer] })).toBe(
      'seeded',
    );
  });
  afterAll(() => t.close());

  const account = (email: string) =>
    t.db
      .selectFrom('users')
      .select(accountColumns)
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const guidelineTitled = (title: string) =>
    t.db.selectFrom('guidelines').selectAll().where('title', '=', title).executeTakeFirstOrThrow();
  /** The one guideline the scenario puts at this stage. */
  const guidelineAt = (stage: scenario.SeedStage) => {
    const [only, ...more] = scenario.guidelines.filter((g) => g.stage === stage);
    if (!only || more.length > 0) throw new Error(`the scenario has not one guideline at ${stage}`);
    return guidelineTitled(only.title);
  };
  const mayDo = async (
    email: string,
    row: Awaited<ReturnType<typeof guidelineTitled>>,
    type: string,
  ) =>
    (await allowedEvents({ db: t.db, clock }, row, actorOf(await account(email)))).find(
      (e) => e.type === type,
    );

  it('stands a guideline at every stage of the review, each where the scenario puts it', async () => {
    const rows = await t.db.selectFrom('guidelines').select(['title', 'state']).execute();
    expect(Object.fromEntries(rows.map((r) => [r.title, r.state]))).toEqual(
      Object.fromEntries(scenario.guidelines.map((g) => [g.title, g.stage])),
    );
    expect(new Set(rows.map((r) => r.state))).toEqual(
      new Set([
        'drafting',
        'secretariat_check',
        'consultation',
        'voting',
        'revision',
        'adopted',
        'submitted_to_gb',
      ]),
    );
  });

  it("has the consultation open with the governments' position in and comments on its paragraphs", async () => {
    const g = await guidelineAt('consultation');
    const positions = await t.db
      .selectFrom('positions')
      .select(['group', 'stance'])
      .where('guideline_id', '=', g.id)
      .execute();
    expect(positions).toEqual([{ group: 'government', stance: 'support_with_reservations' }]);

    const revision = await t.db
      .selectFrom('revisions')
      .select('text')
      .where('guideline_id', '=', g.id)
      .executeTakeFirstOrThrow();
    const comments = await t.db
      .selectFrom('comments')
      .select(['anchor', 'anchor_paragraph', 'anchor_status', 'author_role', 'author_group'])
      .where('guideline_id', '=', g.id)
      .execute();
    expect(comments.length).toBeGreaterThanOrEqual(3);
    for (const c of comments) {
      expect(c.anchor_status).toBe('anchored');
      expect(anchorProblem(revision.text, c.anchor as unknown as QuoteAnchor)).toBeNull();
      expect(c.anchor_paragraph).toBe((c.anchor as unknown as QuoteAnchor).paragraph);
    }
    // Experts of more than one group have commented, and an observer too.
    expect(new Set(comments.map((c) => c.author_group ?? c.author_role)).size).toBeGreaterThan(2);
  });

  it("waits there for the employers' spokesperson, while the governments have stated theirs", async () => {
    const g = await guidelineAt('consultation');
    expect(await mayDo('emp01@example.org', g, 'SUBMIT_POSITION')).toEqual({
      type: 'SUBMIT_POSITION',
      allowed: true,
    });
    expect(await mayDo('wkr01@example.org', g, 'SUBMIT_POSITION')).toMatchObject({ allowed: true });
    expect(await mayDo('gov01@example.org', g, 'SUBMIT_POSITION')).toEqual({
      type: 'SUBMIT_POSITION',
      allowed: false,
      reason: 'the government group has already stated its position in round 1',
    });
  });

  it('has a vote open in which some of the experts have voted, not all', async () => {
    const g = await guidelineAt('voting');
    const vote = await openVote(t.db, g.id, g.round);
    expect(vote).toBeDefined();
    const count = async (table: 'vote_weights' | 'ballots') =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('guideline_id', '=', g.id)
            .where('vote_number', '=', vote!.number)
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('vote_weights')).toBe(36);
    const cast = await count('ballots');
    expect(cast).toBeGreaterThan(0);
    expect(cast).toBeLessThan(36);
    // An expert who has not voted yet still may, as the vote is open.
    const waiting = await account('gov12@example.org');
    const ballot = await t.db
      .selectFrom('ballots')
      .select('choice')
      .where('guideline_id', '=', g.id)
      .where('voter_id', '=', waiting.id)
      .executeTakeFirst();
    expect(ballot).toBeUndefined();
    const actor = actorOf(waiting);
    expect(
      actionVerdict(
        actor,
        'VOTE',
        await standingOf(t.db, g, actor, { elector: true }),
        restoreSnapshot(g.snapshot, g.machine_version),
      ),
    ).toEqual({ allowed: true });
  });

  it('has a revision with comments answered and comments still open, so it cannot go back yet', async () => {
    const g = await guidelineAt('revision');
    const comments = await t.db
      .selectFrom('comments')
      .select(['disposition', 'disposition_note', 'disposed_by', 'round'])
      .where('guideline_id', '=', g.id)
      .where('parent_id', 'is', null)
      .execute();
    const owner = await account('drafter1@example.org');
    const disposed = comments.filter((c) => c.disposition !== null);
    expect(disposed.length).toBeGreaterThan(0);
    expect(disposed.every((c) => c.disposed_by === owner.id)).toBe(true);
    const open = comments.filter((c) => c.disposition === null);
    expect(open.length).toBeGreaterThan(0);
    expect(await mayDo('drafter1@example.org', g, 'RESUBMIT')).toEqual({
      type: 'RESUBMIT',
      allowed: false,
      reason: `${open.length} comments of round 1 still have no disposition`,
    });
  });

  it("has one guideline in the 294th Session's paper, and adopted ones it can still take", async () => {
    const session = await t.db
      .selectFrom('gb_sessions')
      .select('id')
      .where('number', '=', 294)
      .executeTakeFirstOrThrow();
    expect((await guidelineAt('submitted_to_gb')).gb_session_id).toBe(session.id);
    const adopted = scenario.guidelines.filter((g) => g.stage === 'adopted');
    expect(adopted.length).toBeGreaterThan(0);
    for (const g of adopted) {
      expect(
        await mayDo(
          'gb.secretariat@example.org',
          await guidelineTitled(g.title),
          'INCLUDE_IN_SUBMISSION',
        ),
      ).toMatchObject({ allowed: true });
    }
    // One of them was adopted by a vote the meeting passed.
    const closed = await t.db
      .selectFrom('votes')
      .select('result')
      .where('closed_at', 'is not', null)
      .execute();
    expect(closed).toEqual([{ result: 'passed' }]);
  });

  it("keeps every guideline's history as the engine wrote it, at the clock's time, chains intact", async () => {
    expect(await verifyAuditChains(t.db)).toMatchObject({ ok: true, firstBreak: null });
    const times = await t.db
      .selectFrom('audit_entries')
      .select('occurred_at')
      .distinct()
      .where('guideline_id', 'is not', null)
      .execute();
    expect(times.map((e) => e.occurred_at.toISOString())).toEqual(['2005-10-03T09:00:00.000Z']);

    const submitted = await readChain(
      t.db,
      `guideline:${(await guidelineAt('submitted_to_gb')).id}`,
    );
    expect(submitted.map((e) => e.eventType)).toEqual([
      'CREATE',
      'SUBMIT',
      'ACCEPT_FOR_REVIEW',
      'SUBMIT_POSITION',
      'SUBMIT_POSITION',
      'SUBMIT_POSITION',
      'CLOSE_CONSULTATION',
      'RECORD_CONSENSUS',
      'INCLUDE_IN_SUBMISSION',
    ]);
    const revision = await readChain(t.db, `guideline:${(await guidelineAt('revision')).id}`);
    expect(revision.map((e) => e.eventType).slice(-3)).toEqual([
      'REQUEST_REVISION',
      'DISPOSE_COMMENT',
      'DISPOSE_COMMENT',
    ]);
  });

  it("tells the observers of every event it applies, as the engine tells them of users' events", async () => {
    const events = await t.db
      .selectFrom('audit_entries')
      .select(['guideline_id', 'event_type'])
      .where('guideline_id', 'is not', null)
      .where('event_type', 'not in', ['CREATE', 'DISPOSE_COMMENT'])
      .orderBy('id')
      .execute();
    expect(told.map((e) => [e.guidelineId, e.type])).toEqual(
      events.map((e) => [e.guideline_id, e.event_type]),
    );
    expect(told.map((e) => e.type)).toContain('OPEN_VOTE');
  });

  it('a second run changes nothing, the story included', async () => {
    const before = await story(t);
    const toldBefore = told.length;
    expect(
      await seedDemo(t.db, frozenClock('2005-10-20T09:00:00Z'), {
        password: 'geneva2005',
        observers: [observer],
      }),
    ).toBe('already-seeded');
    expect(await story(t)).toEqual(before);
    expect(told).toHaveLength(toldBefore);
  });
});

describe('seeding the story in one transaction', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(() => t.close());

  const written = async () => {
    const all = await story(t);
    return Object.fromEntries(Object.entries(all).map(([table, rows]) => [table, rows.length]));
  };

  it('refuses a clock past the consultation deadline, and writes nothing', async () => {
    const empty = await written();
    await expect(
      seedDemo(t.db, frozenClock('2026-05-01T09:00:00Z'), { password: 'geneva2005' }),
    ).rejects.toThrow(/CLOCK_START/);
    expect(await written()).toEqual(empty);
  });

  it('leaves nothing behind when one of its events fails, and seeds whole on the next run', async () => {
    const empty = await written();
    const failing: EventObserver = {
      written: async (_trx, event) => {
        if (event.type === 'INCLUDE_IN_SUBMISSION') throw new Error('the timers are down');
      },
    };
    await expect(
      seedDemo(t.db, frozenClock(), { password: 'geneva2005', observers: [failing] }),
    ).rejects.toThrow('the timers are down');
    expect(await written()).toEqual(empty);

    expect(await seedDemo(t.db, frozenClock(), { password: 'geneva2005' })).toBe('seeded');
    expect(await t.db.selectFrom('guidelines').select('id').execute()).toHaveLength(
      scenario.guidelines.length,
    );
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
