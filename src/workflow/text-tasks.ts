import { type QuoteAnchor, relocateAnchor } from '../domain/anchors.js';
import { dossierContent } from '../domain/dossier/build-document.js';
import type { DossierOptions, DossierRecords } from '../domain/dossier/records.js';
import { boundedDiff, type DiffBudget } from '../domain/text-diff.js';

// The expensive computations on user text that run in a worker thread (text-worker.ts), by name.
// Each is a pure function of plain data, so it crosses the thread boundary by structured clone.
// Add one here and the process's pool (`deps.textWork.run('name', input)`) runs it off the loop.

export const textTasks = {
  diff: (input: { before: string; after: string; budget?: DiffBudget }) =>
    boundedDiff(input.before, input.after, input.budget),
  /** A Governing Body paper's content: its diffs are the costly part. */
  dossierContent: (input: { records: DossierRecords; options: DossierOptions }) =>
    dossierContent(input.records, input.options),
  relocateAnchors: (input: { text: string; anchors: readonly QuoteAnchor[] }) =>
    input.anchors.map((anchor) => relocateAnchor(anchor, input.text)),
  /** For the runner's own tests: work that never ends unless the worker is stopped. */
  spin: (_input: Record<string, never>): never => {
    for (;;) {}
  },
} as const;

export type TextTasks = typeof textTasks;
export type TextTaskName = keyof TextTasks;
export type TextTaskInput<N extends TextTaskName> = Parameters<TextTasks[N]>[0];
export type TextTaskOutput<N extends TextTaskName> = ReturnType<TextTasks[N]>;
