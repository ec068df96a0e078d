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
