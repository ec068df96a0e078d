import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { StateValue } from 'xstate';
import { guidelineStates } from '../../src/domain/vocabulary.js';
import { type ChartState, workflowChart, workflowMermaid } from '../../src/machines/export.js';
import {
  edgePaths,
  type ModelPath,
  shortestPaths,
  simplePaths,
  transitionsOf,
} from '../model/paths.js';

/** "a.b.c" → { a: { b: 'c' } } */
function stateValueAt(id: string): StateValue {
  const parts = id.split('.');
  let value: StateValue = parts.at(-1)!;
  for (const key of parts.slice(0, -1).reverse()) value = { [key]: value };
  return value;
}

function allStates(states: ChartState[]): ChartState[] {
  return states.flatMap((s) => [s, ...allStates(s.states)]);
}

describe('the statechart', () => {
  const chart = workflowChart();

  it('has exactly the states of the contract', () => {
    expect(chart.states.map((s) => s.key).sort()).toEqual([...guidelineStates].sort());
    const consultation = chart.states.find((s) => s.key === 'consultation');
    expect(consultation?.type).toBe('parallel');
    expect(consultation?.states.map((s) => s.key)).toEqual(['government', 'employers', 'workers']);
    expect(
      chart.states
        .filter((s) => s.type === 'final')
        .map((s) => s.key)
        .sort(),
    ).toEqual(['approved', 'rejected', 'withdrawn']);
  });

  it('reaches every state and region by a shortest path', () => {
    const reached = shortestPaths().map((p) => p.end);
    for (const state of allStates(chart.states)) {
      expect(
        reached.some((s) => s.matches(stateValueAt(state.id) as never)),
        `no path reaches ${state.id}`,
      ).toBe(true);
    }
  });

  it('exercises every transition of the chart: forward ones on simple paths, the rest one step past a shortest path', () => {
    const missingFrom = (paths: ModelPath[]) => {
      const steps = paths.flatMap(transitionsOf);
      const taken = (source: string, event: string, target: string) =>
        steps.some(
          (t) =>
            t.event.type === event &&
            t.from.matches(stateValueAt(source) as never) &&
            t.state.matches(stateValueAt(target) as never),
        );
      return allStates(chart.states).flatMap((state) =>
        state.on
          .filter((t) => t.target && !taken(state.id, t.event, t.target))
          .map((t) => `${state.id} --${t.event}--> ${t.target}`),
      );
    };
    // A simple path never returns to a state it has visited, so it cannot hold these back-edges.
    expect(missingFrom(simplePaths())).toEqual([
      'secretariat_check --RETURN_TO_DRAFTER--> drafting',
      'voting --CLOSE_VOTE--> deliberation',
      'voting --VOTE_DEADLINE--> deliberation',
      'submitted_to_gb --RECORD_GB_DECISION--> adopted',
    ]);
    expect(missingFrom(edgePaths())).toEqual([]);
  }, 60_000);

  it('draws the same chart as Mermaid', () => {
    const mermaid = workflowMermaid();
    expect(mermaid.startsWith('stateDiagram-v2\n  [*] --> drafting\n')).toBe(true);
    const transitions = allStates(chart.states).flatMap((s) => s.on.filter((t) => t.target));
    const arrows = mermaid.split('\n').filter((l) => /-->\s+\w/.test(l) && !l.includes('[*]'));
    expect(arrows).toHaveLength(transitions.length);
    expect(mermaid).toContain('voting --> rejected: CLOSE_VOTE [voteFailedInLastRound]');
    expect(mermaid).toContain(
      'consultation__workers__open --> consultation__workers__position_submitted',
    );
  });

  it('is pure: the machine files import no database, HTTP, notification or engine code and read no clock', async () => {
    const dir = new URL('../../src/machines/', import.meta.url);
    for (const file of await readdir(dir)) {
      const source = await readFile(new URL(file, dir), 'utf8');
      expect(source, file).not.toMatch(/from '\.\.\/(db|api|notifications|workflow)\//);
      expect(source, file).not.toMatch(/Date\.now|new Date\(|performance\.now/);
    }
  });
});
