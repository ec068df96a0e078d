import {
  type BallotChoice,
  type Group,
  groups,
  type RequiredMajority,
  type VoteResult,
  type VotingRule,
} from './vocabulary.js';

// The tripartite vote (SPEC section 3). Pure: given the frozen electorate and the ballots, the tally
// and the result. Weights follow ILO practice: each group has equal strength L = lcm(g, e, w), each
// member's weight is L / size of the member's group.

export interface VoteRule {
  votingRule: VotingRule;
  requiredMajority: RequiredMajority;
  /** The share of the total strength 3L that must be cast (yes, no or abstain). */
  quorum: number;
  requireEachGroup: boolean;
}

export interface Elector {
  voterId: string;
  group: Group;
  weight: number;
}

export interface Ballot {
  voterId: string;
  choice: BallotChoice;
}

export interface GroupTally {
  members: number;
  weight: number;
  yes: number;
  no: number;
  abstain: number;
  /** Whether the required majority holds inside the group (used by concurrent_majority). */
  majority: boolean;
}

export interface Tally {
  strength: number;
  totalStrength: number;
  groups: Record<Group, GroupTally>;
  weighted: { yes: number; no: number; abstain: number; cast: number };
  quorum: { required: number; cast: number; eachGroupVoted: boolean; met: boolean };
  result: VoteResult;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

/** Weights when the vote opens: L and each group's per-member weight (0 for an empty group). */
export function groupWeights(sizes: Record<Group, number>): {
  strength: number;
  weights: Record<Group, number>;
} {
  const nonEmpty = groups.map((g) => sizes[g]).filter((n) => n > 0);
  const strength = nonEmpty.reduce(lcm, 1);
  const weights = Object.fromEntries(
    groups.map((g) => [g, sizes[g] > 0 ? strength / sizes[g] : 0]),
  );
  return { strength, weights: weights as Record<Group, number> };
}

export function electorate(members: readonly { voterId: string; group: Group }[]): {
  strength: number;
  electors: Elector[];
} {
  const sizes = Object.fromEntries(
    groups.map((g) => [g, members.filter((m) => m.group === g).length]),
  );
  const { strength, weights } = groupWeights(sizes as Record<Group, number>);
  return { strength, electors: members.map((m) => ({ ...m, weight: weights[m.group] })) };
}

function majorityHolds(rule: RequiredMajority, yes: number, no: number): boolean {
  if (rule === 'simple') return yes > no;
  return yes + no > 0 && 3 * yes >= 2 * (yes + no);
}

export function tallyVote(
  rule: VoteRule,
  strength: number,
  electors: readonly Elector[],
  ballots: readonly Ballot[],
): Tally {
  const byVoter = new Map(electors.map((e) => [e.voterId, e]));
  const perGroup = Object.fromEntries(
    groups.map((g) => {
      const members = electors.filter((e) => e.group === g);
      return [
        g,
        {
          members: members.length,
          weight: members[0]?.weight ?? 0,
          yes: 0,
          no: 0,
          abstain: 0,
          majority: false,
        },
      ];
    }),
  ) as Record<Group, GroupTally>;
  const weighted = { yes: 0, no: 0, abstain: 0, cast: 0 };
  for (const ballot of ballots) {
    const elector = byVoter.get(ballot.voterId);
    if (!elector) continue; // only the frozen electorate counts
    perGroup[elector.group][ballot.choice] += 1;
    weighted[ballot.choice] += elector.weight;
    weighted.cast += elector.weight;
  }
  for (const g of groups) {
    perGroup[g].majority = majorityHolds(rule.requiredMajority, perGroup[g].yes, perGroup[g].no);
  }

  const totalStrength = 3 * strength;
  // The quorum is a decimal with three places: compare in thousandths to stay exact.
  const quorumThousandths = Math.round(rule.quorum * 1000);
  const required = (quorumThousandths * totalStrength) / 1000;
  const eachGroupVoted = groups.every(
    (g) => perGroup[g].yes + perGroup[g].no + perGroup[g].abstain > 0,
  );
  const met =
    weighted.cast * 1000 >= quorumThousandths * totalStrength &&
    (!rule.requireEachGroup || eachGroupVoted);

  const passes =
    rule.votingRule === 'weighted_majority'
      ? majorityHolds(rule.requiredMajority, weighted.yes, weighted.no)
      : groups.every((g) => perGroup[g].members === 0 || perGroup[g].majority);
  const result: VoteResult = !met ? 'no_quorum' : passes ? 'passed' : 'failed';
  return {
    strength,
    totalStrength,
    groups: perGroup,
    weighted,
    quorum: { required, cast: weighted.cast, eachGroupVoted, met },
    result,
  };
}
