import { describe, expect, it } from 'vitest';
import { groupCountsAnonymous, tallyDisclosure } from '../../src/domain/ballot-secrecy.js';
import { voteBlocks } from '../../src/domain/dossier/consultation.js';
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

describe('a secret ballot in the Governing Body dossier', () => {
  it('withholds the group counts that would single out a voter, and keeps the weighted totals', () => {
    const small = [
      ...electors.filter((e) => e.group !== 'workers'),
      { voterId: 'workers-1', group: 'workers' as const, weight: 3 },
    ];
    const record = (ballot: 'open' | 'secret') => ({
      round: 1,
      number: 1,
      rule,
      ballot,
      strength: 3,
      openedAt: new Date('2005-11-01T09:00:00Z'),
      closedAt: new Date('2005-11-01T12:00:00Z'),
      result: 'passed' as const,
      electors: small,
      ballots: [
        { voterId: 'government-1', choice: 'yes' as const },
        { voterId: 'government-2', choice: 'no' as const },
        { voterId: 'government-3', choice: 'yes' as const },
        { voterId: 'employers-1', choice: 'yes' as const },
        { voterId: 'employers-2', choice: 'abstain' as const },
        { voterId: 'employers-3', choice: 'no' as const },
        { voterId: 'workers-1', choice: 'no' as const },
      ],
    });
    const table = (blocks: ReturnType<typeof voteBlocks>) => {
      const block = blocks.find((b) => b.kind === 'table');
      if (block?.kind !== 'table') throw new Error('no table');
      return block.table.rows;
    };
    let n = 0;
    const secret = voteBlocks('Guideline 1', record('secret'), () => ++n);
    const workers = table(secret).find((row) => row[2] === "Workers' group");
    expect(workers?.slice(5)).toEqual(['—', '—', '—', '—', '—', '—']);
    const total = table(secret).at(-1);
    // Weighted totals stay: yes 2 + 1, no 1 + 1 + 3, abstain 1.
    expect(total?.slice(8)).toEqual(['3', '5', '1']);
    const open = voteBlocks('Guideline 1', record('open'), () => ++n);
    expect(
      table(open)
        .find((row) => row[2] === "Workers' group")
        ?.slice(5, 8),
    ).toEqual(['0', '1', '0']);
  });
});
