import type { Kysely, Transaction } from 'kysely';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import type { Actor } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import { GuidelineNotFound } from './errors.js';
import { lockGuideline } from './guideline-lock.js';

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
