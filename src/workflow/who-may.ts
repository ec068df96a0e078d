import type { Actor } from '../domain/permissions.js';
import type { GuidelineAction } from '../machines/actions.js';

// Who may send a workflow event or take an action on a guideline (SPEC section 2, "who"): each rule
// answers null when the actor may, and otherwise the reason a person can read (403). Every event's
// definition names one of these; the actions' rules are at the end. When in the lifecycle is the
// statechart's business, not these rules'.

/** What a rule knows of the actor's relation to the guideline, looked up by the engine. */
export interface GuidelineStanding {
  ownerId: string;
  /** The meeting the guideline is before, if any yet. */
  meetingId: string | null;
  /** Whether the actor sits on that meeting. */
  actorIsMeetingMember: boolean;
  /** Whether the actor is an elector of the vote open now; null when no vote is open. */
  actorIsElector: boolean | null;
}

export type WhoMay = (actor: Actor, standing: GuidelineStanding) => string | null;

type Person = Extract<Actor, { kind: 'user' }>;

/** A rule for people: the system timer sends only its deadline events. */
const person =
  (rule: (actor: Person, standing: GuidelineStanding) => string | null): WhoMay =>
  (actor, standing) =>
    actor.kind === 'system' ? 'the system timer sends only deadline events' : rule(actor, standing);

const isOwner = (actor: Person, standing: GuidelineStanding) =>
  actor.role === 'drafter' && actor.id === standing.ownerId;

export const systemTimer: WhoMay = (actor) =>
  actor.kind === 'system'
    ? null
    : 'only the system timer sends this event, when the deadline is reached';

export const secretariat: WhoMay = person((actor) =>
  actor.role === 'secretariat' ? null : 'only the secretariat may do this',
);

export const owningDrafter = (reason: string): WhoMay =>
  person((actor, standing) => (isOwner(actor, standing) ? null : reason));

export const owningDrafterOrSecretariat = (reason: string): WhoMay =>
  person((actor, standing) =>
    isOwner(actor, standing) || actor.role === 'secretariat' ? null : reason,
  );

export const groupSpokesperson: WhoMay = person((actor, standing) => {
  if (actor.role !== 'expert' || !actor.group) return "only an expert may state a group's position";
  if (!actor.spokesperson)
    return `only the spokesperson of the ${actor.group} group may state its position`;
  // Before any meeting, the state is what refuses (the machine says why).
  return standing.meetingId === null || standing.actorIsMeetingMember
    ? null
    : 'you are not a member of the meeting reviewing this guideline';
});

const notAMember = 'you are not a member of the meeting reviewing this guideline';

/** The actions' rules (machines/actions.ts); the states they are possible in are the chart's tags. */
export const actionRules = {
  EDIT_TEXT: owningDrafter('only the drafter who owns this guideline may edit its text'),
  COMMENT: person((actor, standing) => {
    if (actor.role !== 'expert' && actor.role !== 'observer')
      return 'only experts and observers comment on a guideline';
    return standing.actorIsMeetingMember ? null : notAMember;
  }),
  REPLY: person((actor, standing) => {
    const participant =
      actor.role === 'secretariat' ||
      (actor.role === 'drafter' ? isOwner(actor, standing) : standing.actorIsMeetingMember);
    return participant ? null : 'only participants in this review reply to its comments';
  }),
  DISPOSE_COMMENT: owningDrafter('only the drafter who owns this guideline gives dispositions'),
  VOTE: person((actor, standing) => {
    if (actor.role !== 'expert') return 'only experts vote';
    // With no vote open the state is what refuses; with one, only its frozen electorate votes.
    return standing.actorIsElector === false
      ? 'you are not among the experts entitled to vote when this vote opened'
      : null;
  }),
} as const satisfies Record<GuidelineAction, WhoMay>;
