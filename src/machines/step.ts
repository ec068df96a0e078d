import { createActor, type ExecutableActionObject } from 'xstate';
import type { GuidelineEvent } from './events.js';
import { guidelineMachine } from './guideline.js';
import type { GuidelineSnapshot } from './snapshot.js';

// The engine's pure transition: what XState's `transition(guidelineMachine, snapshot, event)`
// answers — the next snapshot (the very same object when nothing was enabled) and the actions to
// carry out, none of them executed — without its cost per call. XState 5's helper builds a new inert
// actor for every call, and the actor's constructor computes the machine's whole initial snapshot
// (context factory, entry actions) only to throw it away; in the engine that was a tenth of a
// request's CPU (statelyai/xstate#5632 makes the scope lazy in v6). Here the inert actor is built
// once: it is never started and holds nothing that changes, so it needs no invalidation. Each call
// gets a scope of its own that collects that call's actions, so no state is shared between calls.
// tests/unit/step.test.ts holds it to XState's own helper on every edge of the chart.

type Action = ExecutableActionObject;
type Scope = Parameters<typeof guidelineMachine.transition>[2];

const inert = createActor(guidelineMachine, { input: { ownerId: '' } });

function collectingScope(actions: Action[]): Scope {
  return {
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
  } as unknown as Scope;
}

/** The snapshot after `event`, and the actions the transition names, none of them executed. */
export function step(
  snapshot: GuidelineSnapshot,
  event: GuidelineEvent,
): [GuidelineSnapshot, readonly Action[]] {
  const actions: Action[] = [];
  return [guidelineMachine.transition(snapshot, event, collectingScope(actions)), actions];
}
