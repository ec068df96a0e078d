import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEntry, guidelineChain } from '../../src/db/audit.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import {
  frozenClock,
  insertGuideline,
  insertMeeting,
  insertRevision,
  insertUser,
} from '../helpers/factories.js';

// The schema refuses bad rows by itself, whatever code writes them. Each test names the SQLSTATE a
// refusal must carry (the API maps these codes), and checks the bad row really is absent.

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(() => t.close());

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    return String((error as { code?: string }).code);
  }
  throw new Error('the database accepted a row it should have refused');
}

const UNIQUE = '23505';
const CHECK = '23514';
const FOREIGN_KEY = '23503';
const APPEND_ONLY = 'GR001';

async function openVote(guidelineId: string, voterIds: string[]) {
  const opener = await insertUser(t.db, { role: 'secretariat' });
  await t.db
    .insertInto('votes')
    .values({
      guideline_id: guidelineId,
      round: 1,
      number: 1,
      voting_rule: 'weighted_majority',
      required_majority: 'simple',
      quorum: 0.5,
      require_each_group: true,
      ballot: 'open',
      strength: 1,
      opened_by: opener.id,
      opened_at: '2005-11-01T10:00:00Z',
    })
    .execute();
  await t.db
    .insertInto('vote_weights')
    .values(
      voterIds.map((voter_id) => ({
        guideline_id: guidelineId,
        round: 1,
        vote_number: 1,
        voter_id,
        group: 'government' as const,
        weight: 1,
      })),
    )
    .execute();
}

const ballot = (guidelineId: string, voterId: string, choice: 'yes' | 'no' = 'yes') =>
  t.db
    .insertInto('ballots')
    .values({
      guideline_id: guidelineId,
      round: 1,
      vote_number: 1,
      voter_id: voterId,
      choice,
      cast_at: '2005-11-01T10:05:00Z',
    })
    .execute();

describe('ballots', () => {
  it('an expert cannot cast a second ballot in the same vote', async () => {
    const guideline = await insertGuideline(t.db);
    const expert = await insertUser(t.db, { role: 'expert', group: 'government' });
    await openVote(guideline.id, [expert.id]);
    await ballot(guideline.id, expert.id, 'yes');

    expect(await refusal(ballot(guideline.id, expert.id, 'no'))).toBe(UNIQUE);
    const stored = await t.db
      .selectFrom('ballots')
      .select('choice')
      .where('guideline_id', '=', guideline.id)
      .execute();
    expect(stored).toEqual([{ choice: 'yes' }]);
  });

  it('someone outside the frozen electorate cannot cast a ballot', async () => {
    const guideline = await insertGuideline(t.db);
    const member = await insertUser(t.db, { role: 'expert', group: 'government' });
    const outsider = await insertUser(t.db, { role: 'expert', group: 'workers' });
    await openVote(guideline.id, [member.id]);

    expect(await refusal(ballot(guideline.id, outsider.id))).toBe(FOREIGN_KEY);
  });

  it('refuses a choice that is not yes, no or abstain', async () => {
    const guideline = await insertGuideline(t.db);
    const expert = await insertUser(t.db, { role: 'expert', group: 'government' });
    await openVote(guideline.id, [expert.id]);
    expect(await refusal(ballot(guideline.id, expert.id, 'maybe' as never))).toBe(CHECK);
  });
});

describe('the audit trail', () => {
  async function auditedGuideline() {
    const guideline = await insertGuideline(t.db);
    const entries = await t.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('guideline_id', '=', guideline.id)
      .execute();
    expect(entries).toHaveLength(1);
    return { guideline, entry: entries[0]! };
  }

  it('refuses UPDATE of an entry', async () => {
    const { entry } = await auditedGuideline();
    const code = await refusal(
      t.db
        .updateTable('audit_entries')
        .set({ event_type: 'FORGED' })
        .where('id', '=', entry.id)
        .execute(),
    );
    expect(code).toBe(APPEND_ONLY);
    const after = await t.db
      .selectFrom('audit_entries')
      .select('event_type')
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(after.event_type).toBe('CREATE');
  });

  it('refuses DELETE and TRUNCATE', async () => {
    const { entry } = await auditedGuideline();
    expect(
      await refusal(t.db.deleteFrom('audit_entries').where('id', '=', entry.id).execute()),
    ).toBe(APPEND_ONLY);
    expect(await refusal(sql`truncate audit_entries`.execute(t.db))).toBe(APPEND_ONLY);
    const count = await t.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBeGreaterThan(0);
  });

  it('refuses a second entry with the same place in a chain (no forks)', async () => {
    const { guideline, entry } = await auditedGuideline();
    const code = await refusal(
      t.db
        .insertInto('audit_entries')
        .values({
          chain: entry.chain,
          seq: 1,
          guideline_id: guideline.id,
          event_type: 'FORGED',
          payload: '{}',
          occurred_at: new Date(),
          hash: 'f'.repeat(64),
        })
        .execute(),
    );
    expect(code).toBe(UNIQUE);
  });

  it('appends in order with each entry naming the hash before it', async () => {
    const { guideline, entry } = await auditedGuideline();
    const second = await t.db.transaction().execute((trx) =>
      appendAuditEntry(
        trx,
        {
          chain: guidelineChain(guideline.id),
          guidelineId: guideline.id,
          actorId: guideline.owner_id,
          actorRole: 'drafter',
          eventType: 'SUBMIT',
          payload: {},
          fromState: 'drafting',
          toState: 'secretariat_check',
          version: 2,
          occurredAt: frozenClock().now(),
        },
        { seq: entry.seq, hash: entry.hash },
      ),
    );
    const stored = await t.db
      .selectFrom('audit_entries')
      .select(['seq', 'prev_hash'])
      .where('hash', '=', second.hash)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ seq: 2, prev_hash: entry.hash });
  });
});

describe('revisions', () => {
  it('a frozen revision cannot be edited or deleted', async () => {
    const guideline = await insertGuideline(t.db);
    const revision = await insertRevision(t.db, guideline);
    expect(
      await refusal(
        t.db
          .updateTable('revisions')
          .set({ text: 'rewritten' })
          .where('id', '=', revision.id)
          .execute(),
      ),
    ).toBe(APPEND_ONLY);
    expect(
      await refusal(t.db.deleteFrom('revisions').where('id', '=', revision.id).execute()),
    ).toBe(APPEND_ONLY);
  });
});

describe('enumerated columns and their rules', () => {
  it('refuses an unknown role, group, state or stance', async () => {
    expect(await refusal(insertUser(t.db, { role: 'chairman' as never }))).toBe(CHECK);
    expect(await refusal(insertUser(t.db, { role: 'expert', group: 'academia' as never }))).toBe(
      CHECK,
    );
    const guideline = await insertGuideline(t.db);
    expect(
      await refusal(
        t.db
          .updateTable('guidelines')
          .set({ state: 'archived' as never })
          .where('id', '=', guideline.id)
          .execute(),
      ),
    ).toBe(CHECK);
    expect(
      await refusal(
        t.db
          .insertInto('positions')
          .values({
            guideline_id: guideline.id,
            round: 1,
            group: 'workers',
            stance: 'abstain' as never,
            statement: 'We abstain.',
            submitted_by: guideline.owner_id,
          })
          .execute(),
      ),
    ).toBe(CHECK);
  });

  it('an expert must belong to a group, and only an expert may', async () => {
    expect(await refusal(insertUser(t.db, { role: 'expert', group: null }))).toBe(CHECK);
    expect(await refusal(insertUser(t.db, { role: 'observer', group: 'workers' }))).toBe(CHECK);
    expect(await refusal(insertUser(t.db, { role: 'drafter', spokesperson: true }))).toBe(CHECK);
  });

  it('an e-mail address is unique, whatever its case', async () => {
    await insertUser(t.db, { email: 'unique.person@example.org' });
    expect(await refusal(insertUser(t.db, { email: 'unique.person@example.org' }))).toBe(UNIQUE);
    expect(await refusal(insertUser(t.db, { email: 'Unique.Person@example.org' }))).toBe(CHECK);
  });

  it('a meeting checks its voting rule, quorum and rounds', async () => {
    const meeting = await insertMeeting(t.db);
    const update = (set: Record<string, unknown>) =>
      t.db.updateTable('meetings').set(set).where('id', '=', meeting.id).execute();
    expect(await refusal(update({ voting_rule: 'unanimity' }))).toBe(CHECK);
    expect(await refusal(update({ quorum: 0 }))).toBe(CHECK);
    expect(await refusal(update({ quorum: 1.5 }))).toBe(CHECK);
    expect(await refusal(update({ max_rounds: 0 }))).toBe(CHECK);
    expect(await refusal(update({ ends_at: '2005-10-01T00:00:00Z' }))).toBe(CHECK);
    const stored = await t.db
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', meeting.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ voting_rule: 'weighted_majority', quorum: 0.5, max_rounds: 3 });
  });
});

describe('positions and comments', () => {
  it('a group states one position per guideline per round', async () => {
    const guideline = await insertGuideline(t.db);
    const spokesperson = await insertUser(t.db, { role: 'expert', group: 'workers' });
    const position = (stance: 'support' | 'oppose') =>
      t.db
        .insertInto('positions')
        .values({
          guideline_id: guideline.id,
          round: 1,
          group: 'workers',
          stance,
          statement: 'The workers’ group position.',
          submitted_by: spokesperson.id,
        })
        .execute();
    await position('support');
    expect(await refusal(position('oppose'))).toBe(UNIQUE);
  });

  it('a comment needs a revision of its own guideline, and not_accepted needs a reason', async () => {
    const guideline = await insertGuideline(t.db);
    const other = await insertGuideline(t.db);
    const revision = await insertRevision(t.db, other);
    const expert = await insertUser(t.db, { role: 'expert', group: 'government' });
    const comment = (guidelineId: string, extra: Record<string, unknown> = {}) =>
      t.db
        .insertInto('comments')
        .values({
          guideline_id: guidelineId,
          revision_id: revision.id,
          round: 1,
          author_id: expert.id,
          author_role: 'expert',
          author_group: 'government',
          body: 'Paragraph 2 should name Convention No. 181.',
          ...extra,
        })
        .execute();
    expect(await refusal(comment(guideline.id))).toBe(FOREIGN_KEY);
    expect(
      await refusal(
        comment(other.id, { disposition: 'not_accepted', disposed_at: '2005-11-01T00:00:00Z' }),
      ),
    ).toBe(CHECK);
    await comment(other.id, {
      disposition: 'not_accepted',
      disposition_note: 'Outside the scope of this guideline.',
      disposed_at: '2005-11-01T00:00:00Z',
    });
  });
});
