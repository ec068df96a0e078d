import { type Change, diffLines, diffWordsWithSpace } from 'diff';

// A word-level diff between two texts: operations that rebuild either text (equal + delete gives
// the old one, equal + insert the new one), and the same as HTML with <ins> and <del>.

export interface DiffOperation {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

const operationsOf = (changes: readonly Change[]): DiffOperation[] =>
  changes.map((change) => ({
    op: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
    text: change.value,
  }));

export function wordDiff(before: string, after: string): DiffOperation[] {
  return operationsOf(diffWordsWithSpace(before, after));
}

export type DiffGranularity = 'word' | 'line' | 'paragraph';

export interface DiffBudget {
  /** Milliseconds each diffing pass may take before it gives up for a coarser one. */
  passMs: number;
  /** Above this many characters (both texts together) the word pass is not even tried. */
  wordLimit: number;
}

export const defaultDiffBudget: DiffBudget = { passMs: 1_000, wordLimit: 400_000 };

/**
 * The finest diff that fits the budget. The word diff is super-linear on texts that differ
 * throughout, so it is tried only on texts of a sensible size and abandoned after `passMs`; then
 * lines are compared, and if even that gives up, the whole text is one replacement. Every answer
 * still rebuilds both texts, only coarser.
 */
export function boundedDiff(
  before: string,
  after: string,
  budget: DiffBudget = defaultDiffBudget,
): { granularity: DiffGranularity; operations: DiffOperation[] } {
  if (before.length + after.length <= budget.wordLimit) {
    const words = diffWordsWithSpace(before, after, { timeout: budget.passMs });
    if (words) return { granularity: 'word', operations: operationsOf(words) };
  }
  const lines = diffLines(before, after, { timeout: budget.passMs });
  if (lines) return { granularity: 'line', operations: operationsOf(lines) };
  const operations: DiffOperation[] =
    before === after
      ? [{ op: 'equal', text: before }]
      : [
          { op: 'delete', text: before },
          { op: 'insert', text: after },
        ];
  return { granularity: 'paragraph', operations: operations.filter((o) => o.text !== '') };
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

export function diffHtml(operations: readonly DiffOperation[]): string {
  return operations
    .map(({ op, text }) =>
      op === 'insert'
        ? `<ins>${escapeHtml(text)}</ins>`
        : op === 'delete'
          ? `<del>${escapeHtml(text)}</del>`
          : escapeHtml(text),
    )
    .join('');
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function diffStats(operations: readonly DiffOperation[]) {
  let insertedWords = 0;
  let deletedWords = 0;
  for (const { op, text } of operations) {
    if (op === 'insert') insertedWords += wordCount(text);
    if (op === 'delete') deletedWords += wordCount(text);
  }
  return { insertedWords, deletedWords };
}
