import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { GuidelineEventType } from '../machines/events.js';
import { type Audience, audiences, notificationTitle } from './audiences.js';

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

async function recipients(
  trx: Transaction<Database>,
  event: InboxEvent,
  wanted: readonly Audience[],
) {
  const ids = new Set<string>();
  if (wanted.includes('owner')) ids.add(event.guideline.ownerId);
  if (wanted.includes('members') && event.guideline.meetingId) {
    const members = await trx
      .selectFrom('meeting_members')
      .innerJoin('users', 'users.id', 'meeting_members.user_id')
      .select('users.id')
      .where('meeting_members.meeting_id', '=', event.guideline.meetingId)
      .where('users.active', '=', true)
      .execute();
    for (const m of members) ids.add(m.id);
  }
  if (wanted.includes('secretariat')) {
    const staff = await trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'secretariat')
      .where('active', '=', true)
      .execute();
    for (const s of staff) ids.add(s.id);
  }
  if (event.actorId) ids.delete(event.actorId);
  return [...ids];
}

/** Writes the event's in-app notifications inside the event's own transaction. */
export async function notifyInbox(trx: Transaction<Database>, event: InboxEvent): Promise<number> {
  const to = await recipients(trx, event, audiences[event.type]);
  if (to.length === 0) return 0;
  await trx
    .insertInto('notifications')
    .values(
      to.map((recipientId) => ({
        recipient_id: recipientId,
        kind: `guideline.${event.type.toLowerCase()}`,
        guideline_id: event.guideline.id,
        title: notificationTitle(event.type, event.guideline.title),
        data: JSON.stringify({
          event: event.type,
          from: event.fromState,
          to: event.toState,
          round: event.round,
          version: event.version,
        }),
        dedupe_key: `${event.guideline.id}:${event.version}:${recipientId}`,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
  return to.length;
}
