import { expect } from 'vitest';
import { transition } from 'xstate';
import type { BallotChoice, Group, VoteResult } from '../../src/domain/vocabulary.js';
import type { GuidelineEvent } from '../../src/machines/events.js';
import { guidelineMachine } from '../../src/machines/guideline.js';
import { initialSnapshot, topState } from '../../src/machines/snapshot.js';
import { storedGuideline } from '../helpers/factories.js';
import { castBallots, type Review } from '../helpers/review.js';
import type { ModelPath } from './paths.js';

// Plays a path of the model through the real engine and database: each machine event becomes what
// a person (or the timer) would do, with the facts arranged to match, and after every step the stored
// guideline must be where the model says it is.

const ballotsFor: Record<VoteResult, Partial<Record<Group, BallotChoice[]>>> = {
  passed: { government: ['yes', 'yes'], employers: ['yes', 'yes'], workers: ['yes', 'yes'] },
  failed: { government: ['no', 'no'], employers: ['no', 'no'], workers: ['no', 'no'] },
  no_quorum: {},
};

const future = '2006-01-01T00:00:00Z';

async function withDeadlinePassed(
  review: Review,
  column: 'consultation_deadline' | 'vote_deadline',
  work: () => Promise<unknown>,
) {
  const past = new Date(review.clock.now().getTime() - 1000);
  await review.db
    .updateTable('meetings')
    .set({ [column]: past })
    .where('id', '=', review.meetingId)
    .execute();
  try {
    await work();
  } finally {
    await review.db
      .updateTable('meetings')
      .set({ [column]: future })
      .where('id', '=', review.meetingId)
      .execute();
  }
}

export async function perform(review: Review, id: string, event: GuidelineEvent): Promise<void> {
  const { secretariat, owner } = review;
  switch (event.type) {
    case 'SUBMIT':
    case 'RESUBMIT':
      await review.act(id, { type: event.type }, owner);
      return;
    case 'WITHDRAW':
      await review.act(id, { type: 'WITHDRAW', reason: event.reason }, owner);
      return;
    case 'ACCEPT_FOR_REVIEW':
      await review.act(id, { type: 'ACCEPT_FOR_REVIEW', meetingId: review.meetingId }, secretariat);
      return;
    case 'SUBMIT_POSITION':
      await review.act(
        id,
        { type: 'SUBMIT_POSITION', stance: event.stance, statement: event.statement },
        review.spokesperson(event.group),
      );
      return;
    case 'CONSULTATION_DEADLINE':
      await withDeadlinePassed(review, 'consultation_deadline', () =>
        review.act(id, { type: 'CONSULTATION_DEADLINE' }, 'system'),
      );
      return;
    case 'CLOSE_VOTE':
      await castBallots(review, id, ballotsFor[event.outcome]);
      await review.act(id, { type: 'CLOSE_VOTE' }, secretariat);
      return;
    case 'VOTE_DEADLINE':
      await castBallots(review, id, ballotsFor[event.outcome]);
      await withDeadlinePassed(review, 'vote_deadline', () =>
        review.act(id, { type: 'VOTE_DEADLINE' }, 'system'),
      );
      return;
    case 'INCLUDE_IN_SUBMISSION':
      await review.act(
        id,
        { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: review.gbSessionId },
        secretariat,
      );
      return;
    case 'CLOSE_CONSULTATION':
    case 'OPEN_VOTE':
      await review.act(id, { type: event.type }, secretariat);
      return;
    default:
      // RETURN_TO_DRAFTER, RECORD_CONSENSUS, REQUEST_REVISION, RECORD_GB_DECISION carry their payload as is.
      await review.act(id, event as never, secretariat);
  }
}

/**
 * Graph paths are built over an abstract state key, so a step's snapshot only represents its vertex.
 * The oracle is the pure machine run over the same events from the start; the engine must agree
 * with it exactly after every step.
 */
export async function replay(review: Review, path: ModelPath): Promise<string> {
  const { id } = await review.newGuideline();
  let expected = initialSnapshot({ ownerId: review.owner.id });
  for (const [index, step] of path.steps.entries()) {
    const where = `step ${index + 1} (${step.event.type})`;
    const [next] = transition(guidelineMachine, expected, step.event);
    expect(next, `${where}: the pure machine refuses this path`).not.toBe(expected);
    expected = next;
    await perform(review, id, step.event);
    const row = await storedGuideline(review.db, id);
    expect(row.snapshot.value, where).toEqual(expected.value);
    expect(row.snapshot.context, where).toMatchObject({
      round: expected.context.round,
      consultedRound: expected.context.consultedRound,
      positions: expected.context.positions,
    });
    expect(row.state, where).toBe(topState(expected));
    expect(row.round, where).toBe(expected.context.round);
    expect(row.version, where).toBe(index + 2);
  }
  return id;
}

export const describePath = (path: ModelPath) =>
  path.steps.map((s) => s.event.type).join(' → ') || '(start)';
