import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { type Group, groups } from '../../src/domain/vocabulary.js';
import { call, type TestApi } from '../helpers/api.js';
import { describeOnPostgres, needsPostgres, type TestDatabase } from '../helpers/database.js';
import { insertUser } from '../helpers/factories.js';
import { openConsultation, type Review, setUpReview, statePositions } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const json = async <T>(response: Response, status = 200) => {
  expect(response.status).toBe(status);
  return (await response.json()) as T;
};
type PositionJson = {
  group: Group;
  sealed: boolean;
  stance: string | null;
  statement: string | null;
};
const positions = async (id: string, as: User) =>
  (
    await json<{ items: PositionJson[] }>(
      await call(api, 'GET', `/api/v1/guidelines/${id}/positions`, { as }),
    )
  ).items;

describe('group positions', () => {
  it('are stated by the spokesperson and sealed from other groups and the drafter until all three are in', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const statement = 'Employers support this text with the word "reasonable" added.';
    const post = (as: User, body: unknown) =>
      call(api, 'POST', `/api/v1/guidelines/${id}/positions`, { as, body });
    const mine = await json<PositionJson>(
      await post(r.spokesperson('employers'), { stance: 'support_with_reservations', statement }),
      201,
    );
    expect(mine).toMatchObject({ group: 'employers', sealed: true, statement });
    expect(
      (await post(r.experts.employers[1] as User, { stance: 'oppose', statement: 'x' })).status,
    ).toBe(403);
    expect(
      (await post(r.spokesperson('employers'), { stance: 'oppose', statement: 'again' })).status,
    ).toBe(422);

    // Nothing any other group's member or the drafter can read contains the sealed position.
    for (const reader of [
      r.spokesperson('workers'),
      r.experts.government[1] as User,
      r.owner,
      r.observer,
    ]) {
      const seen = await positions(id, reader);
      expect(seen).toEqual([
        expect.objectContaining({
          group: 'employers',
          sealed: true,
          stance: null,
          statement: null,
        }),
      ]);
      for (const path of ['', '/positions', '/history', '/comments']) {
        const text = await (
          await call(api, 'GET', `/api/v1/guidelines/${id}${path}`, { as: reader })
        ).text();
        expect(text).not.toContain('reasonable');
      }
    }
    for (const reader of [r.experts.employers[1] as User, r.secretariat]) {
      expect((await positions(id, reader))[0]).toMatchObject({ statement });
    }
    for (const g of ['workers', 'government'] as const) {
      await json(
        await post(r.spokesperson(g), { stance: 'support', statement: `${g} agree.` }),
        201,
      );
    }
    const open = await positions(id, r.owner);
    expect(open.map((p) => [p.group, p.sealed])).toEqual(
      expect.arrayContaining([
        ['employers', false],
        ['workers', false],
        ['government', false],
      ]),
    );
    expect(open.find((p) => p.group === 'employers')?.statement).toBe(statement);
  });
});

describe('ballots and the tally', () => {
  async function votingOn() {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    await statePositions(r, id, 'oppose');
    await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
    return id;
  }
  const vote = (id: string, as: User, choice: string) =>
    call(api, 'PUT', `/api/v1/guidelines/${id}/vote`, { as, body: { choice } });

  it('takes a ballot from each elector, lets it be changed, and refuses everyone else', async () => {
    const id = await votingOn();
    const voter = r.experts.workers[1] as User;
    expect(await json(await vote(id, voter, 'no'))).toMatchObject({ choice: 'no', changed: false });
    expect(await json(await vote(id, voter, 'yes'))).toMatchObject({
      choice: 'yes',
      changed: true,
    });
    const ballots = await t.db
      .selectFrom('ballots')
      .selectAll()
      .where('guideline_id', '=', id)
      .execute();
    expect(ballots.map((b) => [b.voter_id, b.choice])).toEqual([[voter.id, 'yes']]);
    // A new expert added after the vote opened is not in its electorate.
    const late = await insertUser(t.db, { role: 'expert', group: 'workers' });
    await t.db
      .insertInto('meeting_members')
      .values({ meeting_id: r.meetingId, user_id: late.id })
      .execute();
    expect((await vote(id, late, 'yes')).status).toBe(403);
    for (const who of [r.owner, r.observer, r.secretariat])
      expect((await vote(id, who, 'yes')).status).toBe(403);
    expect((await vote(id, voter, 'maybe')).status).toBe(400);
  });

  it('keeps the tally from everyone but the secretariat until the vote closes, then shows it to all', async () => {
    const id = await votingOn();
    for (const g of groups) {
      for (const expert of r.experts[g])
        await json(await vote(id, expert, g === 'employers' ? 'no' : 'yes'));
    }
    for (const who of [r.experts.government[0] as User, r.owner, r.observer]) {
      const hidden = await call(api, 'GET', `/api/v1/guidelines/${id}/tally`, { as: who });
      expect(hidden.status).toBe(403);
    }
    const live = await json<{ open: boolean; weighted: { yes: number; no: number } }>(
      await call(api, 'GET', `/api/v1/guidelines/${id}/tally`, { as: r.secretariat }),
    );
    // Weighted by the electorate frozen at OPEN_VOTE: each group's strength shared among its members.
    const weights = await t.db
      .selectFrom('vote_weights')
      .select(['group', 'weight'])
      .where('guideline_id', '=', id)
      .execute();
    const weightOf = (g: Group) => weights.find((w) => w.group === g)?.weight ?? 0;
    expect(live).toMatchObject({
      open: true,
      weighted: {
        yes: 2 * weightOf('government') + 2 * weightOf('workers'),
        no: 2 * weightOf('employers'),
      },
    });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    const closed = await json<{
      open: boolean;
      result: string;
      groups: Record<Group, { yes: number; no: number }>;
    }>(
      await call(api, 'GET', `/api/v1/guidelines/${id}/tally`, {
        as: r.experts.government[1] as User,
      }),
    );
    expect(closed).toMatchObject({
      open: false,
      result: 'passed',
      groups: { employers: { yes: 0, no: 2 } },
    });
    expect((await vote(id, r.experts.workers[0] as User, 'no')).status).toBe(422);
  });
});

describeOnPostgres(`36 experts voting at once (${needsPostgres})`, () => {
  it('gives exactly 36 ballots and the tally a serial run gives, through changes of mind', async () => {
    const big = await setUpReview(t.db, { sizes: { government: 12, employers: 12, workers: 12 } });
    const { id } = await big.newGuideline();
    await openConsultation(big, id);
    await statePositions(big, id, 'oppose');
    await big.act(id, { type: 'CLOSE_CONSULTATION' }, big.secretariat);
    await big.act(id, { type: 'OPEN_VOTE' }, big.secretariat);
    const everyone = groups.flatMap((g) => big.experts[g].map((e, i) => ({ e, g, i })));
    const first = (_g: Group, i: number) => (i % 3 === 0 ? 'no' : 'yes');
    const second = (g: Group, i: number) =>
      g === 'workers' && i < 7 ? 'no' : i % 4 === 0 ? 'abstain' : 'yes';
    for (const choose of [first, second]) {
      const answers = await Promise.all(
        everyone.map(({ e, g, i }) =>
          call(api, 'PUT', `/api/v1/guidelines/${id}/vote`, {
            as: e,
            body: { choice: choose(g, i) },
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(everyone.map(() => 200));
    }
    const ballots = await t.db
      .selectFrom('ballots')
      .selectAll()
      .where('guideline_id', '=', id)
      .execute();
    expect(ballots).toHaveLength(36);
    for (const { e, g, i } of everyone) {
      expect(ballots.find((b) => b.voter_id === e.id)?.choice).toBe(second(g, i));
    }
    const tally = await json<{
      weighted: { yes: number; no: number; abstain: number };
      groups: Record<Group, { yes: number; no: number; abstain: number }>;
    }>(await call(api, 'GET', `/api/v1/guidelines/${id}/tally`, { as: big.secretariat }));
    const count = (g: Group, choice: string) =>
      big.experts[g].filter((_, i) => second(g, i) === choice).length;
    for (const g of groups) {
      expect(tally.groups[g]).toMatchObject({
        yes: count(g, 'yes'),
        no: count(g, 'no'),
        abstain: count(g, 'abstain'),
      });
    }
    // Each of 12 members weighs L / 12 = 1 here (L = 12), so the weighted totals are the counts.
    expect(tally.weighted.yes).toBe(groups.reduce((n, g) => n + count(g, 'yes'), 0));
  });
});
