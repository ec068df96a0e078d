import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { type BallotChoice, type Group, groups } from '../../src/domain/vocabulary.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { openConsultation, type Review, setUpReview, statePositions } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// A secret ballot (issue 11 item 10): no one, the secretariat included, can attribute a vote by
// polling the tally while it is open, or by reading the counts of a group too small or unanimous.

let t: TestDatabase;
let api: TestApi;
useReviewApi((setup) => {
  ({ t, api } = setup);
});

type TallyJson = {
  open: boolean;
  ballot: string;
  disclosure: string;
  turnout: { ballots: number; electors: number };
  groups: Record<Group, { members: number; yes: number | null; no: number | null }>;
  weighted: { yes: number; no: number } | null;
  result: string | null;
};

async function secretVote(sizes: Record<Group, number>) {
  const r = await setUpReview(t.db, { sizes, meeting: { ballot: 'secret' } });
  const { id } = await r.newGuideline();
  await openConsultation(r, id);
  await statePositions(r, id, 'oppose');
  await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
  await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
  return { r, id };
}
const tally = async (id: string, as: User) => {
  const response = await call(api, 'GET', `/api/v1/guidelines/${id}/tally`, { as });
  expect(response.status).toBe(200);
  return (await response.json()) as TallyJson;
};
const vote = async (id: string, as: User, choice: BallotChoice) => {
  const response = await call(api, 'PUT', `/api/v1/guidelines/${id}/vote`, {
    as,
    body: { choice },
  });
  expect(response.status).toBe(200);
};
async function castAll(r: Review, id: string, choices: Record<Group, BallotChoice[]>) {
  for (const g of groups) {
    for (const [i, choice] of choices[g].entries()) await vote(id, r.experts[g][i] as User, choice);
  }
}

describe('a secret ballot', () => {
  it('shows turnout only while open, to the secretariat as to everyone', async () => {
    const { r, id } = await secretVote({ government: 3, employers: 3, workers: 3 });
    const before = await tally(id, r.secretariat);
    expect(before).toMatchObject({
      open: true,
      disclosure: 'turnout_only',
      turnout: { ballots: 0, electors: 9 },
      weighted: null,
      result: null,
    });
    await vote(id, r.experts.workers[0] as User, 'no');
    for (const reader of [r.secretariat, r.experts.government[0] as User, r.owner, r.observer]) {
      const seen = await tally(id, reader);
      expect(seen.turnout).toEqual({ ballots: 1, electors: 9 });
      expect(seen.weighted).toBeNull();
      expect(seen.result).toBeNull();
      for (const g of groups) expect(seen.groups[g]).toMatchObject({ yes: null, no: null });
      // Nothing in the answer tells a "no" from a "yes".
      expect(JSON.stringify(seen)).not.toMatch(/"no":\s*1/);
    }
  });

  it('publishes per-group counts once closed when every group cast enough ballots, not all alike', async () => {
    const { r, id } = await secretVote({ government: 3, employers: 3, workers: 3 });
    await castAll(r, id, {
      government: ['yes', 'yes', 'no'],
      employers: ['no', 'no', 'yes'],
      workers: ['yes', 'abstain', 'yes'],
    });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    const closed = await tally(id, r.experts.workers[2] as User);
    expect(closed).toMatchObject({
      open: false,
      disclosure: 'full',
      turnout: { ballots: 9, electors: 9 },
      groups: { government: { yes: 2, no: 1 }, employers: { yes: 1, no: 2 } },
      result: 'passed',
    });
  });

  it('withholds every group’s counts when one group could be read member by member', async () => {
    // One worker: that group's count would be that member's vote.
    const { r, id } = await secretVote({ government: 3, employers: 3, workers: 1 });
    await castAll(r, id, {
      government: ['yes', 'no', 'yes'],
      employers: ['no', 'yes', 'yes'],
      workers: ['no'],
    });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    const stored = await t.db
      .selectFrom('votes')
      .select(['result', 'tally'])
      .where('guideline_id', '=', id)
      .executeTakeFirstOrThrow();
    for (const reader of [r.secretariat, r.experts.government[0] as User, r.observer]) {
      const closed = await tally(id, reader);
      expect(closed.disclosure).toBe('totals_only');
      for (const g of groups) expect(closed.groups[g]).toMatchObject({ yes: null, no: null });
      // The weighted totals and the result are the record's.
      expect(closed.result).toBe(stored.result);
      expect(closed.weighted).toEqual((stored.tally as { weighted: unknown }).weighted);
    }
  });

  it('withholds the counts of a group that voted all alike', async () => {
    const { r, id } = await secretVote({ government: 3, employers: 3, workers: 3 });
    await castAll(r, id, {
      government: ['yes', 'no', 'yes'],
      employers: ['no', 'no', 'no'],
      workers: ['yes', 'abstain', 'no'],
    });
    await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
    expect((await tally(id, r.secretariat)).disclosure).toBe('totals_only');
  });
});
