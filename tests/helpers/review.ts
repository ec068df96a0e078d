import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { ScenarioClock } from '../../src/clock.js';
import type { Database, User } from '../../src/db/schema.js';
import { type Actor, actorOf } from '../../src/domain/permissions.js';

import { type BallotChoice, type Group, groups, type Stance } from '../../src/domain/vocabulary.js';
import { applyEvent } from '../../src/workflow/apply-event.js';
import { createGuideline } from '../../src/workflow/create-guideline.js';
import type { GuidelineCommand } from '../../src/workflow/events/index.js';
import { frozenClock, insertMeeting, insertUser, sectionId, storedGuideline } from './factories.js';

// A meeting of experts ready to review: the secretariat, an owning drafter and another drafter, an
// observer, and experts per group (the first of each group is its spokesperson), all members.

export const systemActor: Actor = { kind: 'system' };

export interface Review {
  db: Kysely<Database>;
  clock: ScenarioClock;
  meetingId: string;
  gbSessionId: string;
  secretariat: User;
  owner: User;
  otherDrafter: User;
  observer: User;
  experts: Record<Group, User[]>;
  spokesperson: (group: Group) => User;
  newGuideline: (text?: string) => Promise<{ id: string }>;
  act: (
    guidelineId: string,
    command: GuidelineCommand,
    by: User | 'system',
    expectedVersion?: number,
  ) => ReturnType<typeof applyEvent>;
}

export async function setUpReview(
  db: Kysely<Database>,
  options: {
    sizes?: Record<Group, number>;
    maxRounds?: number;
    meeting?: Record<string, unknown>;
    /**
     * After each event, hold the row the engine gave back to the row stored (for sequential
     * tests: a concurrent event could move the row in between).
     */
    checkReturnedRows?: boolean;
  } = {},
): Promise<Review> {
  const sizes = options.sizes ?? { government: 2, employers: 2, workers: 2 };
  const clock = frozenClock();
  const meeting = await insertMeeting(db);
  await db
    .updateTable('meetings')
    .set({
      max_rounds: options.maxRounds ?? 3,
      consultation_deadline: '2005-10-28T17:00:00Z',
      vote_deadline: '2005-11-02T15:00:00Z',
      ...options.meeting,
    })
    .where('id', '=', meeting.id)
    .execute();
  const session = await db
    .insertInto('gb_sessions')
    .values({
      number: 1000 + Math.floor(Math.random() * 1_000_000),
      name: 'Test session',
      starts_at: '2005-11-03T08:00:00Z',
      ends_at: '2005-11-18T17:00:00Z',
      document_deadline: '2005-11-08T17:00:00Z',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const secretariat = await insertUser(db, { role: 'secretariat' });
  const owner = await insertUser(db, { role: 'drafter' });
  const otherDrafter = await insertUser(db, { role: 'drafter' });
  const observer = await insertUser(db, { role: 'observer' });
  const experts = {} as Record<Group, User[]>;
  for (const group of groups) {
    experts[group] = [];
    for (let i = 0; i < sizes[group]; i++) {
      experts[group].push(await insertUser(db, { role: 'expert', group, spokesperson: i === 0 }));
    }
  }
  const members = [observer, ...groups.flatMap((g) => experts[g])];
  await db
    .insertInto('meeting_members')
    .values(members.map((m) => ({ meeting_id: meeting.id, user_id: m.id })))
    .execute();
  const section = await sectionId(db);
  return {
    db,
    clock,
    meetingId: meeting.id,
    gbSessionId: session.id,
    secretariat,
    owner,
    otherDrafter,
    observer,
    experts,
    spokesperson: (group) => experts[group][0]!,
    newGuideline: (
      text = 'Governments should license recruitment agencies.\n\nFees should not be charged to workers.',
    ) =>
      createGuideline(db, clock, {
        ownerId: owner.id,
        sectionId: section,
        title: 'Recruitment',
        text,
        references: ['C181'],
      }),
    act: async (guidelineId, command, by, expectedVersion) => {
      const applied = await applyEvent(
        { db, clock },
        guidelineId,
        command,
        by === 'system' ? systemActor : actorOf(by),
        { ...(expectedVersion === undefined ? {} : { expectedVersion }) },
      );
      if (options.checkReturnedRows) {
        const stored = await storedGuideline(db, guidelineId);
        expect(applied.guideline, `the row after ${command.type}`).toStrictEqual(stored);
      }
      return applied;
    },
  };
}

/** Drafting → consultation, the usual opening of a review. */
export async function openConsultation(review: Review, guidelineId: string) {
  await review.act(guidelineId, { type: 'SUBMIT' }, review.owner);
  await review.act(
    guidelineId,
    { type: 'ACCEPT_FOR_REVIEW', meetingId: review.meetingId },
    review.secretariat,
  );
}

/**
 * Each group's spokesperson states a position: every group the same stance, or the stances given
 * (groups left out say nothing).
 */
export async function statePositions(
  review: Review,
  guidelineId: string,
  stances: Stance | Partial<Record<Group, Stance>> = 'support',
) {
  const chosen =
    typeof stances === 'string' ? Object.fromEntries(groups.map((g) => [g, stances])) : stances;
  for (const [group, stance] of Object.entries(chosen) as [Group, Stance][]) {
    await review.act(
      guidelineId,
      { type: 'SUBMIT_POSITION', stance, statement: `The ${group} group's position.` },
      review.spokesperson(group),
    );
  }
}

/** Ballots straight into the open vote, the first experts of each group in order. */
export async function castBallots(
  review: Review,
  guidelineId: string,
  choices: Partial<Record<Group, BallotChoice[]>>,
) {
  const vote = await review.db
    .selectFrom('votes')
    .select(['round', 'number'])
    .where('guideline_id', '=', guidelineId)
    .where('closed_at', 'is', null)
    .executeTakeFirstOrThrow();
  const rows = (Object.entries(choices) as [Group, BallotChoice[]][]).flatMap(([group, list]) =>
    list.map((choice, i) => ({
      guideline_id: guidelineId,
      round: vote.round,
      vote_number: vote.number,
      voter_id: review.experts[group][i]!.id,
      choice,
      cast_at: review.clock.now(),
    })),
  );
  if (rows.length > 0) await review.db.insertInto('ballots').values(rows).execute();
}
