import type { GroupTally, Tally } from './tally.js';
import { type BallotKind, groups } from './vocabulary.js';

// What a tally may show, and to whom (SPEC section 3, issue 11 item 10).
//
// - An open vote on an open ballot: the secretariat follows the tally; no one else sees it yet.
// - An open vote on a secret ballot: turnout only, to everyone, the secretariat included. Polling a
//   live tally between ballots would otherwise tell who voted how.
// - A closed vote on an open ballot: everything, as part of the record.
// - A closed vote on a secret ballot: the weighted totals, the quorum and the result always; the
//   per-group counts only when no group's counts can single anyone out, i.e. every group that cast
//   ballots cast at least `minimumGroupBallots` and they were not all alike (a group of one, or a
//   unanimous group, gives each member's choice away). When any group fails that, every group's
//   counts are withheld, since one group's counts could otherwise be worked out from the weighted
//   totals minus the others'.

/** The fewest ballots a group must cast for its counts of a secret ballot to be published. */
export const minimumGroupBallots = 3;

export type TallyDisclosure = 'full' | 'totals_only' | 'turnout_only';

/** How much of a vote's tally this reader sees, or null when they may not see it yet at all. */
export function tallyDisclosure(
  reader: { role: string },
  vote: { open: boolean; ballot: BallotKind },
  tally: Pick<Tally, 'groups'>,
): TallyDisclosure | null {
  if (vote.open) {
    if (vote.ballot === 'secret') return 'turnout_only';
    return reader.role === 'secretariat' ? 'full' : null;
  }
  if (vote.ballot === 'open') return 'full';
  return groups.every((g) => groupCountsAnonymous(tally.groups[g])) ? 'full' : 'totals_only';
}

/** Whether publishing a group's counts of a secret ballot points at no one. */
export function groupCountsAnonymous(group: Pick<GroupTally, 'yes' | 'no' | 'abstain'>): boolean {
  const cast = group.yes + group.no + group.abstain;
  if (cast === 0) return true;
  const unanimous = [group.yes, group.no, group.abstain].includes(cast);
  return cast >= minimumGroupBallots && !unanimous;
}

export interface PublishedGroupTally {
  members: number;
  weight: number;
  yes: number | null;
  no: number | null;
  abstain: number | null;
  majority: boolean | null;
}

export interface PublishedTally {
  disclosure: TallyDisclosure;
  /** Ballots cast so far (or in all) and the electorate frozen when the vote opened. */
  turnout: { ballots: number; electors: number };
  strength: number;
  totalStrength: number;
  groups: Record<(typeof groups)[number], PublishedGroupTally>;
  weighted: Tally['weighted'] | null;
  quorumReached: Tally['quorum'] | null;
  result: Tally['result'] | null;
}

/** The tally cut to what the disclosure allows. */
export function publishTally(tally: Tally, disclosure: TallyDisclosure): PublishedTally {
  const counts = disclosure === 'full';
  const totals = disclosure !== 'turnout_only';
  const perGroup = Object.fromEntries(
    groups.map((g) => {
      const t = tally.groups[g];
      return [
        g,
        {
          members: t.members,
          weight: t.weight,
          yes: counts ? t.yes : null,
          no: counts ? t.no : null,
          abstain: counts ? t.abstain : null,
          majority: counts ? t.majority : null,
        },
      ];
    }),
  ) as PublishedTally['groups'];
  return {
    disclosure,
    turnout: {
      ballots: groups.reduce(
        (n, g) => n + tally.groups[g].yes + tally.groups[g].no + tally.groups[g].abstain,
        0,
      ),
      electors: groups.reduce((n, g) => n + tally.groups[g].members, 0),
    },
    strength: tally.strength,
    totalStrength: tally.totalStrength,
    groups: perGroup,
    weighted: totals ? tally.weighted : null,
    quorumReached: totals ? tally.quorum : null,
    result: totals ? tally.result : null,
  };
}
