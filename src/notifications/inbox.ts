import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { GuidelineEventType } from '../machines/events.js';
import { audiences, notificationTitle } from './audiences.js';

export interface InboxEvent {
  type: GuidelineEventType;
  guideline: { id: string; title: string; ownerId: string; meetingId: string | null };
  actorId: string | null;
  /** The guideline version the event produced: with the recipient, it makes the idempotency key. */
  version: number;
  fromState: string;
  toState: string;
  round: number;
}

/**
 * Writes the event's in-app notifications inside the event's own transaction, choosing the active
 * recipients and inserting in one statement. Returns how many were written.
 */
export async function notifyInbox(trx: Transaction<Database>, event: InboxEvent): Promise<number> {
  const wanted = audiences[event.type];
  const { guideline } = event;
  const data = JSON.stringify({
    event: event.type,
    from: event.fromState,
    to: event.toState,
    round: event.round,
    version: event.version,
  });
  const result = await sql`
    insert into notifications (recipient_id, kind, guideline_id, title, data, dedupe_key)
    select u.id, ${`guideline.${event.type.toLowerCase()}`}::text, ${guideline.id}::uuid,
           ${notificationTitle(event.type, guideline.title)}::text, ${data}::jsonb,
           ${`${guideline.id}:${event.version}:`}::text || u.id
    from users u
    where u.active
      and u.id is distinct from ${event.actorId}::uuid
      and (
        (${wanted.includes('owner')} and u.id = ${guideline.ownerId}::uuid)
        or (${wanted.includes('secretariat')} and u.role = 'secretariat')
        or (${wanted.includes('members')} and u.id in (
          select user_id from meeting_members where meeting_id = ${guideline.meetingId}::uuid))
      )
    on conflict (dedupe_key) do nothing
  `.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
