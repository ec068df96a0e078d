import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from '../domain/permissions.js';

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
