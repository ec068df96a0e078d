import type { AnyStateNode } from 'xstate';
import { guidelineActions } from './actions.js';
import { guidelineMachine, MACHINE_VERSION } from './guideline.js';

// The statechart as data and as a Mermaid diagram, read off the machine itself so the picture can
// never drift from what runs.

export interface ChartTransition {
  event: string;
  target: string | null;
  guard: string | null;
  effects: string[];
}

export interface ChartState {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial: string | null;
  /** The actions (machines/actions.ts) people may take in this state: its tags. */
  actions: string[];
  on: ChartTransition[];
  states: ChartState[];
}

const path = (node: AnyStateNode) => node.path.join('.');

function guardName(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  const { type, params } = guard as { type: string; params?: Record<string, unknown> };
  return params ? `${type}(${Object.values(params).join(', ')})` : type;
}

function actionNames(actions: readonly unknown[]): string[] {
  return actions.map((a) => (typeof a === 'string' ? a : String((a as { type?: string }).type)));
}

function chartState(node: AnyStateNode): ChartState {
  const on: ChartTransition[] = [];
  for (const [event, transitions] of Object.entries(node.on)) {
    for (const t of transitions) {
      on.push({
        event,
        target: t.target?.[0] ? path(t.target[0]) : null,
        guard: guardName(t.guard),
        effects: actionNames(t.actions),
      });
    }
  }
  const initial = node.type === 'compound' ? (node.initial?.target[0]?.key ?? null) : null;
  return {
    id: path(node),
    key: node.key,
    type: node.type,
    initial,
    actions: [...node.tags],
    on,
    states: Object.values(node.states).map(chartState),
  };
}

export function workflowChart() {
  const root = guidelineMachine.root;
  return {
    id: guidelineMachine.id,
    machineVersion: MACHINE_VERSION,
    initial: root.initial?.target[0]?.key ?? null,
    states: Object.values(root.states).map(chartState),
    // The same, by action: the top-level states in which each is possible.
    actions: guidelineActions.map((type) => ({
      type,
      states: Object.values(root.states)
        .filter((node) => node.tags.includes(type))
        .map((node) => node.key),
    })),
  };
}

const mermaidId = (id: string) => id.replaceAll('.', '__');

function mermaidState(state: ChartState, indent: string, lines: string[]) {
  const id = mermaidId(state.id);
  if (state.states.length > 0) {
    lines.push(`${indent}state ${id} {`);
    if (state.type === 'parallel') {
      state.states.forEach((region, i) => {
        if (i > 0) lines.push(`${indent}  --`);
        mermaidState(region, `${indent}  `, lines);
      });
    } else {
      if (state.initial)
        lines.push(`${indent}  [*] --> ${mermaidId(`${state.id}.${state.initial}`)}`);
      for (const child of state.states) mermaidState(child, `${indent}  `, lines);
    }
    lines.push(`${indent}}`);
  } else if (state.key !== state.id) {
    lines.push(`${indent}state "${state.key}" as ${id}`);
  }
  for (const t of state.on) {
    if (!t.target) continue;
    const label = t.guard ? `${t.event} [${t.guard}]` : t.event;
    lines.push(`${indent}${id} --> ${mermaidId(t.target)}: ${label}`);
  }
  if (state.type === 'final') lines.push(`${indent}${id} --> [*]`);
}

export function workflowMermaid(): string {
  const chart = workflowChart();
  const lines = ['stateDiagram-v2', `  [*] --> ${chart.initial}`];
  for (const state of chart.states) mermaidState(state, '  ', lines);
  return `${lines.join('\n')}\n`;
}
