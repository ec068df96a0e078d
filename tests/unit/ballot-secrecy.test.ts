import { describe, expect, it } from 'vitest';
import { groupCountsAnonymous, tallyDisclosure } from '../../src/domain/ballot-secrecy.js';
import { tallyVote } from '../../src/domain/tally.js';

const rule = {
  votingRule: 'weighted_majority',
  requiredMajority: 'simple',
  quorum: 0.5,
  requireEachGroup: true,
} as const;
const electors = ['government', 'employers', 'workers'].flatMap((group) =>
  [1, 2, 3].map((n) => ({ voterId: `${group}-${n}`, group: group as 'workers', weight: 1 })),
);

describe('what a tally discloses', () => {
  it('publishes a group’s counts only from three ballots up, and not when all alike', () => {
    expect(groupCountsAnonymous({ yes: 0, no: 0, abstain: 0 })).toBe(true);
    expect(groupCountsAnonymous({ yes: 1, no: 0, abstain: 0 })).toBe(false);
    expect(groupCountsAnonymous({ yes: 1, no: 1, abstain: 0 })).toBe(false);
    expect(groupCountsAnonymous({ yes: 2, no: 1, abstain: 0 })).toBe(true);
    expect(groupCountsAnonymous({ yes: 0, no: 0, abstain: 4 })).toBe(false);
  });

  it('keeps an open tally from all but the secretariat, and a secret one from everyone', () => {
    const tally = tallyVote(rule, 1, electors, []);
    const open = { open: true, ballot: 'open' } as const;
    const secret = { open: true, ballot: 'secret' } as const;
    expect(tallyDisclosure({ role: 'secretariat' }, open, tally)).toBe('full');
    expect(tallyDisclosure({ role: 'expert' }, open, tally)).toBeNull();
    expect(tallyDisclosure({ role: 'secretariat' }, secret, tally)).toBe('turnout_only');
    expect(tallyDisclosure({ role: 'observer' }, secret, tally)).toBe('turnout_only');
    expect(tallyDisclosure({ role: 'expert' }, { ...open, open: false }, tally)).toBe('full');
  });
});
