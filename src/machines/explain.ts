import type { AnyStateNode, StateValue } from 'xstate';
import { actionClosedReason, type GuidelineAction } from './actions.js';
import type { GuidelineEvent } from './events.js';
import { guidelineMachine } from './guideline.js';
import { type RuleName, type RuleParams, rules } from './rules.js';
import { type GuidelineSnapshot, topState } from './snapshot.js';

// "Why can't I act?" — read off the machine itself: the transitions the current state offers for the
// event, and the rule behind each guard that did not hold.

function activeNodes(node: AnyStateNode, value: StateValue): AnyStateNode[] {
  if (typeof value === 'string') return node.states[value] ? [node.states[value]] : [];
  return Object.entries(value).flatMap(([key, sub]) => {
    const child = node.states[key];
    return child && sub ? [child, ...activeNodes(child, sub as StateValue)] : [];
  });
}

type GuardRef = string | { type: string; params?: RuleParams } | undefined;

function guardOf(transition: { guard?: unknown }): { name: RuleName; params?: RuleParams } | null {
  const guard = transition.guard as GuardRef;
  if (!guard) return null;
  if (typeof guard === 'string') return { name: guard as RuleName };
  return { name: guard.type as RuleName, ...(guard.params ? { params: guard.params } : {}) };
}

/** Whether the state the guideline is in takes this kind of event at all (guards aside). */
export function stateTakes(snapshot: GuidelineSnapshot, type: GuidelineEvent['type']): boolean {
  if (snapshot.status === 'done') return false;
  return activeNodes(guidelineMachine.root, snapshot.value).some((node) => node.on[type]?.length);
}

/** The reason the machine refuses the event in this snapshot (call it when transition() did not move). */
export function explainRefusal(snapshot: GuidelineSnapshot, event: GuidelineEvent): string {
  const state = topState(snapshot);
  if (snapshot.status === 'done') return `the guideline is ${state}: its review has ended`;
  const transitions = activeNodes(guidelineMachine.root, snapshot.value).flatMap(
    (node) => node.on[event.type] ?? [],
  );
  if (transitions.length === 0) {
    return `${event.type} is not possible while the guideline is in ${state}`;
  }
  const reasons = transitions.flatMap((transition) => {
    const guard = guardOf(transition);
    if (!guard) return [];
    // A consultation region only speaks for its own group; the others' refusals are beside the point.
    if (guard.name === 'ownGroup' && guard.params?.group !== (event as { group?: string }).group)
      return [];
    const reason = rules[guard.name](snapshot.context, event, guard.params);
    return reason ? [reason] : [];
  });
  if (event.type === 'SUBMIT_POSITION' && reasons.length === 0) {
    return `the ${event.group} group has already stated its position in round ${snapshot.context.round}`;
  }
  return reasons[0] ?? `${event.type} is not possible now`;
}

/** null when the state the guideline is in allows the action (its node carries the tag); else why not. */
export function actionRefusal(snapshot: GuidelineSnapshot, action: GuidelineAction): string | null {
  return snapshot.hasTag(action) ? null : actionClosedReason[action](topState(snapshot));
}
