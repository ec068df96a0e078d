import { type Kysely, sql } from 'kysely';
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
 * The insert of an event's in-app notifications: the event's audiences among active users, never
 * the actor, idempotent per (guideline, version, recipient). It returns the ids of the notifications written; the engine
 * sends it within the event's own statement, which names the guideline row it updates `upd`.
 */
export function inboxInsert(db: Kysely<Database>, event: InboxEvent) {
  const wanted = audiences[event.type];
  const { guideline } = event;
  const data = JSON.stringify({
    event: event.type,
    from: event.fromState,
    to: event.toState,
    round: event.round,
    version: event.version,
  });
  const recipients = db
    .selectFrom('users as u')
    .select([
      'u.id as recipient_id',
      sql<string>`${`guideline.${event.type.toLowerCase()}`}::text`.as('kind'),
      sql<string>`${guideline.id}::uuid`.as('guideline_id'),
      sql<string>`${notificationTitle(event.type, guideline.title)}::text`.as('title'),
      sql<string>`${data}::jsonb`.as('data'),
      sql<string>`${`${guideline.id}:${event.version}:`}::text || u.id`.as('dedupe_key'),
    ])
    .where('u.active', '=', true)
    // Only if the event's update of the guideline (`upd`, in the same statement) took place.
    .where(sql<boolean>`exists (select 1 from upd)`)
    .where(sql<boolean>`u.id is distinct from ${event.actorId}::uuid`)
    .where((eb) => {
      const audience = [];
      if (wanted.includes('owner')) audience.push(eb('u.id', '=', guideline.ownerId));
      if (wanted.includes('secretariat')) audience.push(eb('u.role', '=', 'secretariat'));
      if (wanted.includes('members') && guideline.meetingId) {
        const members = eb
          .selectFrom('meeting_members')
          .select('user_id')
          .where('meeting_id', '=', guideline.meetingId);
        audience.push(eb('u.id', 'in', members));
      }
      return eb.or(audience);
    });
  return db
    .insertInto('notifications')
    .columns(['recipient_id', 'kind', 'guideline_id', 'title', 'data', 'dedupe_key'])
    .expression(recipients)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id');
}
