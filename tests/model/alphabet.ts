import type { GuidelineEvent } from '../../src/machines/events.js';
import type { GuidelineSnapshot } from '../../src/machines/snapshot.js';

// A finite alphabet of machine events (with the facts the engine would add) for walking the
// statechart, and a state key that keeps the graph finite: rounds only matter as "last or not".

export const MAX_ROUNDS = 2;

export const alphabet: GuidelineEvent[] = [
  { type: 'SUBMIT', textIsEmpty: false },
  { type: 'RETURN_TO_DRAFTER', reason: 'Please cite the instruments.' },
  {
    type: 'ACCEPT_FOR_REVIEW',
    meetingId: 'meeting',
    meeting: { closed: false, maxRounds: MAX_ROUNDS },
  },
  {
    type: 'SUBMIT_POSITION',
    group: 'government',
    stance: 'support',
    statement: 'Government: support.',
  },
  {
    type: 'SUBMIT_POSITION',
    group: 'employers',
    stance: 'support',
    statement: 'Employers: support.',
  },
  {
    type: 'SUBMIT_POSITION',
    group: 'employers',
    stance: 'oppose',
    statement: 'Employers: oppose.',
  },
  { type: 'SUBMIT_POSITION', group: 'workers', stance: 'support', statement: 'Workers: support.' },
  { type: 'CLOSE_CONSULTATION', deadlinePassed: false },
  { type: 'CONSULTATION_DEADLINE', deadlinePassed: true },
  { type: 'RECORD_CONSENSUS', summary: 'Consensus.' },
  { type: 'OPEN_VOTE' },
  { type: 'REQUEST_REVISION', instructions: 'Shorten paragraph 2.' },
  { type: 'CLOSE_VOTE', outcome: 'passed' },
  { type: 'CLOSE_VOTE', outcome: 'failed' },
  { type: 'CLOSE_VOTE', outcome: 'no_quorum' },
  { type: 'VOTE_DEADLINE', outcome: 'passed', deadlinePassed: true },
  { type: 'VOTE_DEADLINE', outcome: 'failed', deadlinePassed: true },
  { type: 'VOTE_DEADLINE', outcome: 'no_quorum', deadlinePassed: true },
  { type: 'RESUBMIT', openComments: 0, textIsEmpty: false },
  {
    type: 'INCLUDE_IN_SUBMISSION',
    gbSessionId: 'session',
    session: { documentDeadlinePassed: false },
  },
  { type: 'RECORD_GB_DECISION', decision: 'approved' },
  { type: 'RECORD_GB_DECISION', decision: 'referred_back', instructions: 'Address domestic work.' },
  { type: 'RECORD_GB_DECISION', decision: 'deferred' },
  { type: 'WITHDRAW', reason: 'Merged into another guideline.' },
];

export function stateKey(snapshot: GuidelineSnapshot): string {
  const { round, consultedRound, maxRounds, positions } = snapshot.context;
  return JSON.stringify({
    value: snapshot.value,
    lastRound: round >= maxRounds,
    roundAhead: round > consultedRound,
    // The guards read the positions only as "did any group oppose?"; which groups are in is
    // already part of the state value.
    opposed: Object.values(positions).includes('oppose'),
  });
}

export const eventKey = (event: GuidelineEvent) => JSON.stringify(event);

const positionOrder = ['government', 'employers', 'workers'] as const;

/**
 * For enumerating simple paths: the three groups state their positions in one fixed order. The
 * regions are independent, so other orders add paths but no transitions, and they would make the
 * number of simple paths explode.
 */
export function inPositionOrder(snapshot: GuidelineSnapshot, event: GuidelineEvent): boolean {
  if (event.type !== 'SUBMIT_POSITION') return true;
  const index = positionOrder.indexOf(event.group);
  return index === 0 || snapshot.context.positions[positionOrder[index - 1]!] !== undefined;
}
