import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

// An event's in-app notifications, written in the event's own transaction (the outbox of SPEC
// section 5): who hears of it and its title come from the event's definition.

/** Who hears of an event: the guideline's owner, the members of its meeting, the secretariat. */
export type Audience = 'owner' | 'members' | 'secretariat';

export interface InboxEvent {
  type: string;
  audience: readonly Audience[];
  /** What happened, after the guideline's title ("vote open"). */
  title: string;
  guideline: { id: string; title: string; ownerId: string; meetingId: string | null };
  actorId: string | null;
  /** The guideline version the event produced: with the recipient, it makes the idempotency key. */
  version: number;
  fromState: string;
  toState: string;
  round: number;
}

/**
 * Writes the event's notifications: its audience among active users, never the actor, idempotent
 * per (guideline, version, recipient). Answers the ids of the notifications written.
 */
export async function writeInbox(trx: Transaction<Database>, event: InboxEvent): Promise<string[]> {
  const { guideline, audience: wanted } = event;
  const data = JSON.stringify({
    event: event.type,
    from: event.fromState,
    to: event.toState,
    round: event.round,
    version: event.version,
  });
  const recipients = trx
    .selectFrom('users as u')
    .select([
      'u.id as recipient_id',
      sql<string>`${`guideline.${event.type.toLowerCase()}`}::text`.as('kind'),
      sql<string>`${guideline.id}::uuid`.as('guideline_id'),
      sql<string>`${`${guideline.title}: ${event.title}`}::text`.as('title'),
      sql<string>`${data}::jsonb`.as('data'),
      sql<string>`${`${guideline.id}:${event.version}:`}::text || u.id`.as('dedupe_key'),
    ])
    .where('u.active', '=', true)
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
  const written = await trx
    .insertInto('notifications')
    .columns(['recipient_id', 'kind', 'guideline_id', 'title', 'data', 'dedupe_key'])
    .expression(recipients)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return written.map((n) => n.id);
}
