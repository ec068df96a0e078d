import { createActor, type ExecutableActionObject } from 'xstate';
import type { GuidelineEvent } from './events.js';
import { guidelineMachine } from './guideline.js';
import type { GuidelineSnapshot } from './snapshot.js';

// The engine's pure transition: what XState's `transition(guidelineMachine, snapshot, event)`
// answers — the next snapshot (the very same object when nothing was enabled) and the actions to
// carry out, none of them executed — without its cost per call. XState 5's helper builds a new inert
// actor for every call, and the actor's constructor computes the machine's whole initial snapshot
// (context factory, entry actions) only to throw it away; in the engine that was a tenth of a
// request's CPU (statelyai/xstate#5632 makes the scope lazy in v6). Here the inert scope is built
// once. It can be shared because it only ever collects: its action executor appends to the list of
// the call in progress, and a transition runs synchronously from start to end, so no two calls
// interleave. tests/unit/step.test.ts holds it to XState's own helper on every edge of the chart.

type Action = ExecutableActionObject;

let collecting: Action[] = [];
const self = createActor(guidelineMachine, { input: { ownerId: '' } });
const scope = {
  self,
  id: '',
  sessionId: '',
  system: self.system,
  defer: () => {},
  logger: () => {},
  stopChild: () => {},
  emit: () => {},
  actionExecutor: (action: Action) => {
    collecting.push(action);
  },
} as unknown as Parameters<typeof guidelineMachine.transition>[2];

/** The snapshot after `event`, and the actions the transition names, none of them executed. */
export function step(
  snapshot: GuidelineSnapshot,
  event: GuidelineEvent,
): [GuidelineSnapshot, readonly Action[]] {
  const actions: Action[] = [];
  collecting = actions;
  try {
    return [guidelineMachine.transition(snapshot, event, scope), actions];
  } finally {
    collecting = [];
  }
}
