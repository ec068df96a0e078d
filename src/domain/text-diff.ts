import { diffWordsWithSpace } from 'diff';

// A word-level diff between two texts: operations that rebuild either text (equal + delete gives
// the old one, equal + insert the new one), and the same as HTML with <ins> and <del>.

export interface DiffOperation {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export function wordDiff(before: string, after: string): DiffOperation[] {
  return diffWordsWithSpace(before, after).map((change) => ({
    op: change.added ? 'insert' : change.removed ? 'delete' : 'equal',
    text: change.value,
  }));
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
