import { describe, expect, it } from 'vitest';
import type { GuidelineEvent } from '../../src/machines/events.js';
import { type ChartState, workflowChart } from '../../src/machines/export.js';
import { type RuleName, rules } from '../../src/machines/rules.js';
import { initialSnapshot } from '../../src/machines/snapshot.js';

// Each guard's rule reads the events it names and no other. The chart is walked here, so a guard put
// on a transition of an event its rule cannot judge fails this test, not a person's request.

function guarded(states: readonly ChartState[]): { event: string; guard: string; at: string }[] {
  return states.flatMap((state) => [
    ...state.on.flatMap((t) =>
      t.guard ? [{ event: t.event, guard: t.guard.replace(/\(.*\)$/, ''), at: state.id }] : [],
    ),
    ...guarded(state.states),
  ]);
}

describe('the rules behind the guards', () => {
  const transitions = guarded(workflowChart().states);

  it('are placed on the chart only for events they can judge', () => {
    expect(transitions.length).toBeGreaterThan(15);
    for (const { event, guard, at } of transitions) {
      expect(rules[guard as RuleName], `${at} ${event} [${guard}]`).toBeDefined();
      expect(rules[guard as RuleName].events, `${at} ${event} [${guard}]`).toContain(event);
    }
  });

  it('are all used by the chart', () => {
    const used = new Set(transitions.map((t) => t.guard));
    expect(Object.keys(rules).filter((name) => !used.has(name))).toEqual([]);
  });

  it('refuse loudly when given an event they cannot judge', () => {
    const { context } = initialSnapshot({ ownerId: 'o' });
    const submit: GuidelineEvent = { type: 'SUBMIT', textIsEmpty: false };
    expect(() => rules.meetingOpen(context, submit)).toThrow(
      'a guard for ACCEPT_FOR_REVIEW was given SUBMIT',
    );
    expect(rules.textNotEmpty(context, submit)).toBeNull();
    expect(rules.textNotEmpty(context, { ...submit, textIsEmpty: true })).toBe(
      'the guideline text is empty',
    );
  });
});
