import type { Kysely } from 'kysely';
import type { Database, GuidelineRow } from '../db/schema.js';
import { isUuid } from '../domain/ids.js';
import type { Actor } from '../domain/permissions.js';
import type { Tally } from '../domain/tally.js';
import type { GuidelineEvent } from '../machines/events.js';
import type { GuidelineSnapshot } from '../machines/snapshot.js';
import type { GuidelineCommand } from './commands.js';
import { liveTally, openVote } from './votes.js';

// The facts the machine's guards need, looked up by the engine (the machine reads no database and no
// clock). Used inside the event's transaction, and by allowedEvents to probe each event.

async function meetingFacts(db: Kysely<Database>, meetingId: string) {
  if (!isUuid(meetingId)) return null;
  const meeting = await db
    .selectFrom('meetings')
    .select(['closed_at', 'max_rounds'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  return meeting ? { closed: meeting.closed_at !== null, maxRounds: meeting.max_rounds } : null;
}

async function sessionFacts(db: Kysely<Database>, gbSessionId: string, now: Date) {
  if (!isUuid(gbSessionId)) return null;
  const session = await db
    .selectFrom('gb_sessions')
    .select('document_deadline')
    .where('id', '=', gbSessionId)
    .executeTakeFirst();
  return session ? { documentDeadlinePassed: now > session.document_deadline } : null;
}

async function deadlinePassed(
  db: Kysely<Database>,
  row: GuidelineRow,
  column: 'consultation_deadline' | 'vote_deadline',
  now: Date,
): Promise<boolean> {
  if (!row.meeting_id) return false;
  const meeting = await db
    .selectFrom('meetings')
    .select(column)
    .where('id', '=', row.meeting_id)
    .executeTakeFirst();
  const deadline = meeting?.[column];
  return deadline != null && now >= deadline;
}

/** Comments of the last consulted round that still wait for the drafter's disposition. */
async function openCommentCount(db: Kysely<Database>, row: GuidelineRow, round: number) {
  const result = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('guideline_id', '=', row.id)
    .where('round', '=', round)
    .where('parent_id', 'is', null)
    .where('disposition', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(result.n);
}

/** The tally of the vote now open on the guideline, or null when none is open. */
async function currentTally(
  db: Kysely<Database>,
  guidelineId: string,
  round: number,
): Promise<Tally | null> {
  const vote = await openVote(db, guidelineId, round);
  return vote ? liveTally(db, vote) : null;
}

export interface MachineInput {
  event: GuidelineEvent;
  /** The tally that decided a vote, when the event closes one. */
  tally?: Tally;
}

/** Turns a command into the machine's event, adding the facts its guards read. */
export async function machineInput(
  db: Kysely<Database>,
  now: Date,
  row: GuidelineRow,
  snapshot: GuidelineSnapshot,
  command: GuidelineCommand,
  actor: Actor,
): Promise<MachineInput> {
  const textIsEmpty = row.text.trim().length === 0;
  switch (command.type) {
    case 'SUBMIT':
      return { event: { type: 'SUBMIT', textIsEmpty } };
    case 'RESUBMIT':
      return {
        event: {
          type: 'RESUBMIT',
          textIsEmpty,
          openComments: await openCommentCount(db, row, snapshot.context.consultedRound),
        },
      };
    case 'ACCEPT_FOR_REVIEW':
      return { event: { ...command, meeting: await meetingFacts(db, command.meetingId) } };
    case 'SUBMIT_POSITION':
      // Permission is checked first: only a group's spokesperson gets here.
      if (actor.kind !== 'user' || !actor.group)
        throw new Error('a position needs an expert of a group');
      return { event: { ...command, group: actor.group } };
    case 'CLOSE_CONSULTATION':
    case 'CONSULTATION_DEADLINE':
      return {
        event: {
          type: command.type,
          deadlinePassed: await deadlinePassed(db, row, 'consultation_deadline', now),
        },
      };
    case 'CLOSE_VOTE':
    case 'VOTE_DEADLINE': {
      const tally = await currentTally(db, row.id, snapshot.context.round);
      // With no open vote (a state the machine cannot be in while voting) nothing can pass.
      const outcome = tally?.result ?? 'no_quorum';
      const event: GuidelineEvent =
        command.type === 'CLOSE_VOTE'
          ? { type: 'CLOSE_VOTE', outcome }
          : {
              type: 'VOTE_DEADLINE',
              outcome,
              deadlinePassed: await deadlinePassed(db, row, 'vote_deadline', now),
            };
      return tally ? { event, tally } : { event };
    }
    case 'INCLUDE_IN_SUBMISSION':
      return { event: { ...command, session: await sessionFacts(db, command.gbSessionId, now) } };
    default:
      return { event: command };
  }
}
