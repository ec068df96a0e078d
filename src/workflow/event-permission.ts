import type { Actor } from '../domain/permissions.js';
import { type GuidelineEventType, timerEvents } from '../machines/events.js';

// Who may send which workflow event (SPEC section 2, "who"). The engine refuses with these reasons
// before the machine is consulted, and allowedEvents explains itself with the same function.

export interface GuidelineStanding {
  ownerId: string;
  /** The meeting the guideline is before, if any yet. */
  meetingId: string | null;
  /** Whether the actor sits on that meeting. */
  actorIsMeetingMember: boolean;
}

const secretariatOnly: readonly GuidelineEventType[] = [
  'RETURN_TO_DRAFTER',
  'ACCEPT_FOR_REVIEW',
  'CLOSE_CONSULTATION',
  'RECORD_CONSENSUS',
  'OPEN_VOTE',
  'REQUEST_REVISION',
  'CLOSE_VOTE',
  'INCLUDE_IN_SUBMISSION',
  'RECORD_GB_DECISION',
];

/** null when the actor may send the event; otherwise why not. */
export function eventPermission(
  actor: Actor,
  type: GuidelineEventType,
  standing: GuidelineStanding,
): string | null {
  if (timerEvents.includes(type)) {
    return actor.kind === 'system'
      ? null
      : 'only the system timer sends this event, when the deadline is reached';
  }
  if (actor.kind === 'system') return 'the system timer sends only deadline events';
  const isOwner = actor.role === 'drafter' && actor.id === standing.ownerId;
  switch (type) {
    case 'SUBMIT':
    case 'RESUBMIT':
      return isOwner ? null : 'only the drafter who owns this guideline may submit it';
    case 'WITHDRAW':
      return isOwner || actor.role === 'secretariat'
        ? null
        : 'only the owning drafter or the secretariat may withdraw a guideline';
    case 'SUBMIT_POSITION':
      if (actor.role !== 'expert' || !actor.group)
        return "only an expert may state a group's position";
      if (!actor.spokesperson)
        return `only the spokesperson of the ${actor.group} group may state its position`;
      // Before any meeting, the state is what refuses (the machine says why).
      return standing.meetingId === null || standing.actorIsMeetingMember
        ? null
        : 'you are not a member of the meeting reviewing this guideline';
    default:
      return secretariatOnly.includes(type) && actor.role === 'secretariat'
        ? null
        : 'only the secretariat may do this';
  }
}
