import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { guidelineMachine } from '../../src/machines/guideline.js';
import { persistSnapshot, restoreSnapshot } from '../../src/machines/snapshot.js';
import { createStepper } from '../../src/machines/step.js';
import { alphabet, eventKey } from '../model/alphabet.js';
import { edgePaths, shortestPaths } from '../model/paths.js';

// step() keeps one inert scope where XState's transition() builds a new one per call; it must answer
// exactly as XState's helper does, in every state the chart has, for every event, enabled or not.

const step = createStepper();

const actionTypes = (actions: readonly { type: string }[]) => actions.map((a) => a.type);

describe('step', () => {
  const states = [...shortestPaths(), ...edgePaths()].map((p) => p.end);

  it('answers every event in every reachable state as XState’s transition() does', () => {
    let moved = 0;
    let refused = 0;
    for (const state of states) {
      // A snapshot as the engine has it: read back from its stored form.
      const stored = restoreSnapshot(persistSnapshot(state), 1);
      for (const event of alphabet) {
        const [expected, expectedActions] = transition(guidelineMachine, stored, event);
        const [actual, actions] = step(stored, event);
        const where = `${JSON.stringify(stored.value)} ${eventKey(event)}`;
        if (expected === stored) {
          expect(actual, where).toBe(stored);
          refused++;
        } else {
          expect(actual, where).not.toBe(stored);
          expect(persistSnapshot(actual), where).toEqual(persistSnapshot(expected));
          moved++;
        }
        expect(actionTypes(actions), where).toEqual(actionTypes(expectedActions));
      }
    }
    // Both branches were really taken, on a chart of some size.
    expect(moved).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(moved);
  });

  it('keeps each call’s actions to itself', () => {
    const submitted = states.find((s) => s.value === 'drafting');
    expect(submitted).toBeDefined();
    const [next, first] = step(submitted!, alphabet[0]!);
    const [, second] = step(next, alphabet[1]!);
    expect(actionTypes(first)).toContain('freezeRevision');
    expect(actionTypes(second)).not.toContain('freezeRevision');
    // The lists handed out earlier are not touched by later calls.
    expect(actionTypes(first)).toEqual(
      actionTypes(transition(guidelineMachine, submitted!, alphabet[0]!)[1]),
    );
  });
});
