import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Ballot,
  electorate,
  groupWeights,
  tallyVote,
  type VoteRule,
} from '../../src/domain/tally.js';
import type { BallotChoice, Group } from '../../src/domain/vocabulary.js';

const rule = (over: Partial<VoteRule> = {}): VoteRule => ({
  votingRule: 'weighted_majority',
  requiredMajority: 'simple',
  quorum: 0.5,
  requireEachGroup: true,
  ...over,
});

function vote(sizes: Record<Group, number>, choices: Record<Group, BallotChoice[]>, r = rule()) {
  const members = (Object.keys(sizes) as Group[]).flatMap((g) =>
    Array.from({ length: sizes[g] }, (_, i) => ({ voterId: `${g}-${i}`, group: g })),
  );
  const { strength, electors } = electorate(members);
  const ballots: Ballot[] = (Object.keys(choices) as Group[]).flatMap((g) =>
    choices[g].map((choice, i) => ({ voterId: `${g}-${i}`, choice })),
  );
  return tallyVote(r, strength, electors, ballots);
}

describe('ILO weights', () => {
  it('give each group the same strength whatever its size', () => {
    expect(groupWeights({ government: 4, employers: 2, workers: 2 })).toEqual({
      strength: 4,
      weights: { government: 1, employers: 2, workers: 2 },
    });
    expect(groupWeights({ government: 12, employers: 8, workers: 9 }).strength).toBe(72);
  });
});

describe('the worked example of the specification', () => {
  const sizes = { government: 4, employers: 2, workers: 2 };
  const choices: Record<Group, BallotChoice[]> = {
    government: ['yes', 'yes', 'yes', 'no'],
    employers: ['no', 'no'],
    workers: ['yes', 'yes'],
  };

  it('passes by simple weighted majority, with quorum', () => {
    const tally = vote(sizes, choices);
    expect(tally.weighted).toEqual({ yes: 7, no: 5, abstain: 0, cast: 12 });
    expect(tally.quorum).toEqual({ required: 6, cast: 12, eachGroupVoted: true, met: true });
    expect(tally.result).toBe('passed');
  });

  it('fails under concurrent majority (the employers)', () => {
    const tally = vote(sizes, choices, rule({ votingRule: 'concurrent_majority' }));
    expect(tally.groups.employers.majority).toBe(false);
    expect(tally.result).toBe('failed');
  });

  it('fails under two thirds (7 of 12 is short of 8)', () => {
    expect(vote(sizes, choices, rule({ requiredMajority: 'two_thirds' })).result).toBe('failed');
  });

  it('has no quorum when a whole group stays away and each group is required', () => {
    // Weighted cast 8 of 12 would be enough on its own; the missing group is what stops it.
    const absent = { ...choices, employers: ['yes', 'yes'] as BallotChoice[], workers: [] };
    const tally = vote(sizes, absent);
    expect(tally.quorum).toMatchObject({ cast: 8, required: 6, eachGroupVoted: false, met: false });
    expect(tally.result).toBe('no_quorum');
    expect(vote(sizes, absent, rule({ requireEachGroup: false })).result).toBe('passed');
  });
});

describe('hand-made tables: both rules, both majorities', () => {
  // Groups of 3, 3, 3 (L = 3, weight 1 each). Each row: choices per group, then the results for
  // weighted/simple, weighted/two-thirds, concurrent/simple, concurrent/two-thirds.
  const table: [string, Record<Group, BallotChoice[]>, [string, string, string, string]][] = [
    [
      'all three groups 2 yes 1 no',
      {
        government: ['yes', 'yes', 'no'],
        employers: ['yes', 'yes', 'no'],
        workers: ['yes', 'yes', 'no'],
      },
      ['passed', 'passed', 'passed', 'passed'],
    ],
    [
      'one group against, the others for',
      {
        government: ['yes', 'yes', 'yes'],
        employers: ['no', 'no', 'no'],
        workers: ['yes', 'yes', 'yes'],
      },
      ['passed', 'passed', 'failed', 'failed'],
    ],
    [
      '5 yes, 4 no overall',
      {
        government: ['yes', 'yes', 'no'],
        employers: ['yes', 'no', 'no'],
        workers: ['yes', 'yes', 'no'],
      },
      ['passed', 'failed', 'failed', 'failed'],
    ],
    [
      'a tie, with abstentions',
      {
        government: ['yes', 'abstain', 'no'],
        employers: ['yes', 'no', 'abstain'],
        workers: ['abstain', 'abstain', 'abstain'],
      },
      ['failed', 'failed', 'failed', 'failed'],
    ],
    [
      'one group abstains as a whole',
      {
        government: ['yes', 'yes', 'yes'],
        employers: ['yes', 'yes', 'yes'],
        workers: ['abstain', 'abstain', 'abstain'],
      },
      ['passed', 'passed', 'failed', 'failed'],
    ],
  ];
  const sizes = { government: 3, employers: 3, workers: 3 };
  const combos = [
    rule(),
    rule({ requiredMajority: 'two_thirds' }),
    rule({ votingRule: 'concurrent_majority' }),
    rule({ votingRule: 'concurrent_majority', requiredMajority: 'two_thirds' }),
  ];
  for (const [name, choices, expected] of table) {
    it(name, () => {
      expect(combos.map((r) => vote(sizes, choices, r).result)).toEqual(expected);
    });
  }
});

describe('properties', () => {
  const sizes = fc.record({
    government: fc.integer({ min: 1, max: 30 }),
    employers: fc.integer({ min: 1, max: 30 }),
    workers: fc.integer({ min: 1, max: 30 }),
  });
  const choice = fc.constantFrom<BallotChoice | null>('yes', 'no', 'abstain', null);
  const scenario = sizes.chain((s) =>
    fc.record({
      sizes: fc.constant(s),
      choices: fc.record({
        government: fc.array(choice, { minLength: s.government, maxLength: s.government }),
        employers: fc.array(choice, { minLength: s.employers, maxLength: s.employers }),
        workers: fc.array(choice, { minLength: s.workers, maxLength: s.workers }),
      }),
      rule: fc.record({
        votingRule: fc.constantFrom('weighted_majority' as const, 'concurrent_majority' as const),
        requiredMajority: fc.constantFrom('simple' as const, 'two_thirds' as const),
        quorum: fc.constantFrom(0.25, 0.5, 0.667, 1),
        requireEachGroup: fc.boolean(),
      }),
    }),
  );
  const ballotsOf = (choices: Record<Group, (BallotChoice | null)[]>): Ballot[] =>
    (Object.keys(choices) as Group[]).flatMap((g) =>
      choices[g].flatMap((c, i) => (c ? [{ voterId: `${g}-${i}`, choice: c }] : [])),
    );
  const electorsOf = (s: Record<Group, number>) =>
    electorate(
      (Object.keys(s) as Group[]).flatMap((g) =>
        Array.from({ length: s[g] }, (_, i) => ({ voterId: `${g}-${i}`, group: g })),
      ),
    );

  it('gives the three groups the same strength, whatever their sizes', () => {
    fc.assert(
      fc.property(sizes, (s) => {
        const { strength, weights } = groupWeights(s);
        for (const g of Object.keys(s) as Group[]) expect(weights[g] * s[g]).toBe(strength);
      }),
    );
  });

  it('never changes the tally when the voters come in another order', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (sc, seed) => {
        const { strength, electors } = electorsOf(sc.sizes);
        const ballots = ballotsOf(sc.choices);
        const shuffle = <T>(items: readonly T[]) =>
          items
            .map((item, i) => ({ item, key: Math.sin(seed + i * 7919) }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item);
        expect(tallyVote(sc.rule, strength, shuffle(electors), shuffle(ballots))).toEqual(
          tallyVote(sc.rule, strength, electors, ballots),
        );
      }),
    );
  });

  it('lets an abstention change pass or fail only through the quorum', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const { strength, electors } = electorsOf(sc.sizes);
        const before = tallyVote(sc.rule, strength, electors, ballotsOf(sc.choices));
        // Someone who had not voted abstains.
        const g = (Object.keys(sc.choices) as Group[]).find((k) => sc.choices[k].includes(null));
        fc.pre(g !== undefined);
        const group = g as Group;
        const choices = { ...sc.choices, [group]: [...sc.choices[group]] };
        choices[group][choices[group].indexOf(null)] = 'abstain';
        const after = tallyVote(sc.rule, strength, electors, ballotsOf(choices));
        if (before.quorum.met && after.quorum.met) expect(after.result).toBe(before.result);
        expect(after.weighted.yes).toBe(before.weighted.yes);
        expect(after.weighted.no).toBe(before.weighted.no);
      }),
    );
  });
});
