import { tallyDisclosure } from '../ballot-secrecy.js';
import { tallyVote } from '../tally.js';
import { groups } from '../vocabulary.js';
import type { Block } from './document.js';
import type { GuidelineRecord, VoteRecord } from './records.js';
import { tableColumns } from './table-columns.js';
import { groupName, listed, longDate, plural, resultName, stanceName } from './wording.js';

// The summary of one guideline's consultation: each group's position and statement per round,
// every vote with its rule, weights, totals, quorum and result, and the consensus recorded.

export type Numbering = () => number;

const ruleWords = (v: VoteRecord) =>
  `${v.rule.votingRule === 'weighted_majority' ? 'weighted majority' : 'concurrent majority'} (${
    v.rule.requiredMajority === 'simple' ? 'simple majority' : 'two-thirds majority'
  }), ${v.ballot} ballot, quorum ${Math.round(v.rule.quorum * 1000) / 10}% of the total strength${
    v.rule.requireEachGroup ? ' with every group voting' : ''
  }`;

export function voteBlocks(label: string, vote: VoteRecord, next: Numbering): Block[] {
  const tally = tallyVote(vote.rule, vote.strength, vote.electors, vote.ballots);
  const result = vote.result ?? (vote.closedAt ? tally.result : null);
  // The dossier is a public paper: a secret ballot shows what any reader of its tally may see.
  const disclosure =
    vote.ballot === 'secret'
      ? (tallyDisclosure({ role: 'observer' }, { open: !vote.closedAt, ballot: 'secret' }, tally) ??
        'turnout_only')
      : 'full';
  const counted = disclosure === 'full';
  const totalled = disclosure !== 'turnout_only';
  const withheld = '—';
  const count = (n: number, shown = counted) => (shown ? String(n) : withheld);
  const rows = groups.map((g) => {
    const t = tally.groups[g];
    return [
      label,
      `Round ${vote.round}, vote ${vote.number}`,
      groupName[g],
      String(t.members),
      String(t.weight),
      count(t.yes),
      count(t.no),
      count(t.abstain),
      count(t.yes * t.weight),
      count(t.no * t.weight),
      count(t.abstain * t.weight),
    ];
  });
  const w = tally.weighted;
  rows.push([
    label,
    `Round ${vote.round}, vote ${vote.number}`,
    'Total',
    String(groups.reduce((n, g) => n + tally.groups[g].members, 0)),
    '',
    count(groups.reduce((n, g) => n + tally.groups[g].yes, 0)),
    count(groups.reduce((n, g) => n + tally.groups[g].no, 0)),
    count(groups.reduce((n, g) => n + tally.groups[g].abstain, 0)),
    count(w.yes, totalled),
    count(w.no, totalled),
    count(w.abstain, totalled),
  ]);
  const outcome = result ? `The result: ${resultName[result]}.` : 'The vote is still open.';
  return [
    {
      kind: 'paragraph',
      number: next(),
      text:
        `In round ${vote.round} the meeting voted (vote ${vote.number}, opened ${longDate(vote.openedAt)}) ` +
        `under the rule of ${ruleWords(vote)}. Each group's strength was ${vote.strength}, the total ` +
        `strength ${tally.totalStrength}; weighted votes cast were ${w.cast} against a quorum of ` +
        `${tally.quorum.required}, so the quorum was ${tally.quorum.met ? 'met' : 'not met'}. ` +
        (totalled ? `Weighted yes ${w.yes}, no ${w.no}, abstentions ${w.abstain}. ` : '') +
        (counted
          ? ''
          : 'The ballot was secret: counts that could single out a voter are withheld. ') +
        outcome,
    },
    {
      kind: 'table',
      table: {
        name: 'votes',
        caption: `${label}: vote ${vote.number} of round ${vote.round}, by group, with the weights`,
        columns: [...tableColumns.votes],
        rows,
      },
    },
  ];
}

export function consultationBlocks(
  label: string,
  guideline: GuidelineRecord,
  next: Numbering,
): Block[] {
  const rounds = [
    ...new Set([
      ...guideline.positions.map((p) => p.round),
      ...guideline.votes.map((v) => v.round),
      ...guideline.consensus.map((c) => c.round),
    ]),
  ].sort((a, b) => a - b);
  const blocks: Block[] = [];
  const positions = [...guideline.positions].sort(
    (a, b) => a.round - b.round || groups.indexOf(a.group) - groups.indexOf(b.group),
  );
  blocks.push({
    kind: 'paragraph',
    number: next(),
    text:
      rounds.length === 0
        ? `${label} reached the Governing Body without a recorded consultation.`
        : `${label} was examined in ${plural(rounds.length, 'round')} of consultation (${listed(rounds)}); ` +
          `the groups stated ${plural(positions.length, 'position')} and ${plural(guideline.comments.length, 'comment')} were made.`,
  });
  if (positions.length > 0) {
    blocks.push({
      kind: 'table',
      table: {
        name: 'positions',
        caption: `${label}: the groups' positions by round`,
        columns: [...tableColumns.positions],
        rows: positions.map((p) => [
          label,
          String(p.round),
          groupName[p.group],
          stanceName[p.stance],
          p.statement,
        ]),
      },
    });
  }
  const votes = [...guideline.votes].sort((a, b) => a.round - b.round || a.number - b.number);
  for (const vote of votes) blocks.push(...voteBlocks(label, vote, next));
  for (const c of [...guideline.consensus].sort((a, b) => a.round - b.round)) {
    blocks.push({
      kind: 'paragraph',
      number: next(),
      text: `In round ${c.round} the meeting reached consensus (${longDate(c.recordedAt)}): ${c.summary}`,
    });
  }
  return blocks;
}
