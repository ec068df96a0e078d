import type { Kysely, Transaction } from 'kysely';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import type { Actor } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import { GuidelineNotFound } from './errors.js';
import { lockGuideline } from './guideline-lock.js';
import { openVote } from './votes.js';
import type { GuidelineStanding } from './who-may.js';

/** Whether the actor sits on the meeting (false when the guideline is before no meeting yet). */
export async function isMeetingMember(
  db: Kysely<Database>,
  meetingId: string | null,
  actor: Actor,
): Promise<boolean> {
  if (!meetingId || actor.kind !== 'user') return false;
  const row = await db
    .selectFrom('meeting_members')
    .select('user_id')
    .where('meeting_id', '=', meetingId)
    .where('user_id', '=', actor.id)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the actor is an elector of the vote open on the guideline; null when none is open. */
async function isElector(db: Kysely<Database>, row: GuidelineRow, actor: Actor) {
  const vote = row.state === 'voting' ? await openVote(db, row.id, row.round) : undefined;
  if (!vote) return null;
  if (actor.kind !== 'user') return false;
  const elector = await db
    .selectFrom('vote_weights')
    .select('voter_id')
    .where('guideline_id', '=', row.id)
    .where('round', '=', vote.round)
    .where('vote_number', '=', vote.number)
    .where('voter_id', '=', actor.id)
    .executeTakeFirst();
  return elector !== undefined;
}

/**
 * What the rules of src/workflow/who-may.ts know of the actor and this guideline. Whether the actor
 * is an elector is looked up only when asked for (ballots and "may I vote?").
 */
export async function standingOf(
  db: Kysely<Database>,
  row: GuidelineRow,
  actor: Actor,
  ask: { elector?: boolean } = {},
): Promise<GuidelineStanding> {
  return {
    ownerId: row.owner_id,
    meetingId: row.meeting_id,
    actorIsMeetingMember: await isMeetingMember(db, row.meeting_id, actor),
    actorIsElector: ask.elector ? await isElector(db, row, actor) : null,
  };
}

/**
 * The guideline under a share lock (replies and ballots go in while no transition can happen),
 * or GuidelineNotFound for a caller who may not see it.
 */
export async function sharedVisibleGuideline(
  trx: Transaction<Database>,
  guidelineId: string,
  user: Account,
): Promise<GuidelineRow> {
  const row = await lockGuideline(trx, guidelineId, 'share');
  if (!maySeeGuideline(user, visibilityFacts(row))) throw new GuidelineNotFound(guidelineId);
  return row;
}
