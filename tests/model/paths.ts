import { transition } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import type { GuidelineEvent } from '../../src/machines/events.js';
import { guidelineMachine } from '../../src/machines/guideline.js';
import type { GuidelineSnapshot } from '../../src/machines/snapshot.js';
import { alphabet, eventKey, inPositionOrder, stateKey } from './alphabet.js';

export interface ModelPath {
  start: GuidelineSnapshot;
  steps: { event: GuidelineEvent; state: GuidelineSnapshot }[];
  /** Where the path ends (the start, for the empty path). */
  end: GuidelineSnapshot;
}

const options = {
  input: { ownerId: 'owner' },
  events: alphabet,
  serializeState: stateKey as never,
  serializeEvent: eventKey as never,
};

// The init step is the starting point, not an event anyone sends.
const trim = (
  paths: { state: unknown; steps: { event: unknown; state: unknown }[] }[],
): ModelPath[] =>
  paths.map((p) => ({
    start: p.steps[0]!.state as GuidelineSnapshot,
    steps: p.steps.slice(1) as ModelPath['steps'],
    end: p.state as GuidelineSnapshot,
  }));

export const shortestPaths = (): ModelPath[] => trim(getShortestPaths(guidelineMachine, options));

let simple: ModelPath[] | undefined;
export function simplePaths(): ModelPath[] {
  simple ??= trim(
    getSimplePaths(guidelineMachine, { ...options, filterEvents: inPositionOrder as never }),
  );
  return simple;
}

/**
 * The shortest path to each state, followed by each event that state takes. These reach every edge,
 * including the ones back to a state already on the path, which no simple path can contain.
 */
export function edgePaths(): ModelPath[] {
  return shortestPaths().flatMap((path) =>
    alphabet.flatMap((event) => {
      const [next] = transition(guidelineMachine, path.end, event);
      if (next === path.end) return [];
      return [{ start: path.start, steps: [...path.steps, { event, state: next }], end: next }];
    }),
  );
}

/** Each step with the state it left. */
export function transitionsOf(path: ModelPath) {
  return path.steps.map((step, i) => ({ from: path.steps[i - 1]?.state ?? path.start, ...step }));
}

export function edgesOf(path: ModelPath): string[] {
  return transitionsOf(path).map((t) => `${stateKey(t.from)} ${eventKey(t.event)}`);
}

/** A small set of paths that still takes every edge the given paths take (greedy set cover). */
export function coveringPaths(paths: readonly ModelPath[]): ModelPath[] {
  const uncovered = new Set(paths.flatMap(edgesOf));
  const chosen: ModelPath[] = [];
  const candidates = paths.map((path) => ({ path, edges: new Set(edgesOf(path)) }));
  while (uncovered.size > 0) {
    let best = candidates[0]!;
    let bestGain = -1;
    for (const c of candidates) {
      let gain = 0;
      for (const e of c.edges) if (uncovered.has(e)) gain++;
      if (gain > bestGain) [best, bestGain] = [c, gain];
    }
    chosen.push(best.path);
    for (const e of best.edges) uncovered.delete(e);
  }
  return chosen;
}
