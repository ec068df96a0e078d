import type { Actor } from '../domain/permissions.js';
import { type GuidelineAction, guidelineActions } from '../machines/actions.js';
import { actionRefusal } from '../machines/explain.js';
import { type GuidelineSnapshot, topState } from '../machines/snapshot.js';
import { EventForbidden, EventNotAllowed } from './errors.js';
import { actionRules, type GuidelineStanding } from './who-may.js';

// "May I?" for the actions beside events (EDIT_TEXT, COMMENT, REPLY, DISPOSE_COMMENT, VOTE): who
// may is the rule in who-may.ts, when is the statechart's tags. The use cases ask here, and
// GET /guidelines/:id lists the answers, so a client never re-encodes a rule.

export interface AllowedAction {
  type: GuidelineAction;
  allowed: boolean;
  reason?: string;
}

/** Whether the actor may take the action on the guideline now, and why not: 403 first, then 422. */
export function actionVerdict(
  actor: Actor,
  action: GuidelineAction,
  standing: GuidelineStanding,
  snapshot: GuidelineSnapshot,
): { allowed: true } | { allowed: false; forbidden: boolean; reason: string } {
  const forbidden = actionRules[action](actor, standing);
  if (forbidden) return { allowed: false, forbidden: true, reason: forbidden };
  const closed = actionRefusal(snapshot, action);
  if (closed) return { allowed: false, forbidden: false, reason: closed };
  return { allowed: true };
}

export type ActionVerdict = ReturnType<typeof actionVerdict>;

/** The refusal the API maps to 403 (not for you) or 422 (not now). */
export function refusalOf(
  action: GuidelineAction,
  snapshot: GuidelineSnapshot,
  verdict: { forbidden: boolean; reason: string },
): Error {
  return verdict.forbidden
    ? new EventForbidden(action, verdict.reason)
    : new EventNotAllowed(action, topState(snapshot), verdict.reason);
}

/** Throws the refusal when the actor may not take the action now. */
export function mayTakeAction(
  actor: Actor,
  action: GuidelineAction,
  standing: GuidelineStanding,
  snapshot: GuidelineSnapshot,
): void {
  const verdict = actionVerdict(actor, action, standing, snapshot);
  if (!verdict.allowed) throw refusalOf(action, snapshot, verdict);
}

export function allowedActions(
  actor: Actor,
  standing: GuidelineStanding,
  snapshot: GuidelineSnapshot,
): AllowedAction[] {
  return guidelineActions.map((type) => {
    const verdict = actionVerdict(actor, type, standing, snapshot);
    return verdict.allowed
      ? { type, allowed: true }
      : { type, allowed: false, reason: verdict.reason };
  });
}
