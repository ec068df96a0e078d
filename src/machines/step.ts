import { createActor, type ExecutableActionObject, transition } from 'xstate';
import type { GuidelineEvent } from './events.js';
import { guidelineMachine } from './guideline.js';
import type { GuidelineSnapshot } from './snapshot.js';

// The engine's pure transition: the next snapshot (the very same object when nothing was enabled)
// and the actions the transition names, none of them executed.

type Action = ExecutableActionObject;
type Scope = Parameters<typeof guidelineMachine.transition>[2];

/** A transition of the guideline machine, as the engine and the "may I?" probe take it. */
export type Step = (
  snapshot: GuidelineSnapshot,
  event: GuidelineEvent,
) => [GuidelineSnapshot, readonly Action[]];

/**
 * Whether the machine took the event. A step hands back the very same snapshot when no transition
 * was enabled, but also when one was and it changed nothing the machine keeps (an event that only
 * writes rows of its own, targeting its own state): then the chart is asked.
 */
export const tookEvent = (
  before: GuidelineSnapshot,
  event: GuidelineEvent,
  after: GuidelineSnapshot,
): boolean => after !== before || before.can(event);

/** XState's own `transition()`: it builds a new inert actor for every call. */
export const xstateStep: Step = (snapshot, event) => transition(guidelineMachine, snapshot, event);

/**
 * The same answer without the cost per call, for a process to make once (main.ts) and hand to the
 * engine. XState 5's helper builds a new inert actor for every call, and the actor's constructor
 * computes the machine's whole initial snapshot (context factory, entry actions) only to throw it
 * away; in the engine that was a tenth of a request's CPU (statelyai/xstate#5632 makes the scope
 * lazy in v6). Here the inert actor is built once per stepper: it is never started and holds
 * nothing that changes. Each call gets a scope of its own that collects that call's actions, so no
 * state is shared between calls. tests/unit/step.test.ts holds it to `xstateStep` on every edge.
 */
export function createStepper(): Step {
  const inert = createActor(guidelineMachine, { input: { ownerId: '' } });
  const collectingScope = (actions: Action[]): Scope =>
    ({
      self: inert,
      id: '',
      sessionId: '',
      system: inert.system,
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: (action: Action) => {
        actions.push(action);
      },
    }) as unknown as Scope;
  return (snapshot, event) => {
    const actions: Action[] = [];
    return [guidelineMachine.transition(snapshot, event, collectingScope(actions)), actions];
  };
}
