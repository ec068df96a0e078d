import type { Kysely } from 'kysely';
import type { Database, GuidelineRow } from '../../db/schema.js';
import { isUuid } from '../../domain/ids.js';
import type { Tally } from '../../domain/tally.js';
import { liveTally, openVote } from '../votes.js';
import type { ProbeRefusal } from './definition.js';

// What events' guards and probes read from the database (the machine reads none): the meeting or
// session a command names, a deadline, the comments still without a disposition, the open vote.

export async function meetingFacts(db: Kysely<Database>, meetingId: string) {
  if (!isUuid(meetingId)) return null;
  const meeting = await db
    .selectFrom('meetings')
    .select(['closed_at', 'max_rounds'])
    .where('id', '=', meetingId)
    .executeTakeFirst();
  return meeting ? { closed: meeting.closed_at !== null, maxRounds: meeting.max_rounds } : null;
}

export async function sessionFacts(db: Kysely<Database>, gbSessionId: string, now: Date) {
  if (!isUuid(gbSessionId)) return null;
  const session = await db
    .selectFrom('gb_sessions')
    .select('document_deadline')
    .where('id', '=', gbSessionId)
    .executeTakeFirst();
  return session ? { documentDeadlinePassed: now > session.document_deadline } : null;
}

export async function deadlinePassed(
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

/** Comments of a round that still wait for the drafter's disposition. */
export async function openCommentCount(db: Kysely<Database>, row: GuidelineRow, round: number) {
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

/** The vote now open on the guideline, counted; none when no vote is open. */
export async function closingTally(db: Kysely<Database>, row: GuidelineRow, round: number) {
  const vote = await openVote(db, row.id, round);
  const tally: Tally | undefined = vote ? await liveTally(db, vote) : undefined;
  // With no open vote (a state the machine cannot be in while voting) nothing can pass.
  return { outcome: tally?.result ?? ('no_quorum' as const), ...(tally ? { tally } : {}) };
}

/** The best target a probe can name: a meeting of experts still open. */
export async function anOpenMeeting(db: Kysely<Database>): Promise<string | ProbeRefusal> {
  const open = await db
    .selectFrom('meetings')
    .select('id')
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  return open ? open.id : { refusal: 'no meeting of experts is open' };
}

/** The best target a probe can name: a Governing Body session still taking documents. */
export async function aSessionTakingDocuments(
  db: Kysely<Database>,
  now: Date,
): Promise<string | ProbeRefusal> {
  const session = await db
    .selectFrom('gb_sessions')
    .select('id')
    .where('document_deadline', '>', now)
    .executeTakeFirst();
  return session ? session.id : { refusal: 'no Governing Body session is still taking documents' };
}
