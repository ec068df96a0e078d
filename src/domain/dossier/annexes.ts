import { boundedDiff, type DiffBudget } from '../text-diff.js';
import type { Block } from './document.js';
import type { GuidelineRecord } from './records.js';
import { tableColumns } from './table-columns.js';
import { authorName, dispositionName } from './wording.js';

// The annexes: the disposition of every comment, and each text's last revision against its first.

export interface Numbered {
  number: number;
  label: string;
  guideline: GuidelineRecord;
  /** The paper's reference for a comment, e.g. `G2.5`. */
  refs: Map<string, string>;
}

export function dispositionAnnex(included: readonly Numbered[]): Block[] {
  const rows = included.flatMap(({ label, guideline, refs }) =>
    guideline.comments.map((c) => [
      refs.get(c.id) ?? '',
      label,
      String(c.round),
      c.author
        ? `${c.author.name}${c.author.organisation ? `, ${c.author.organisation}` : ''} (${authorName(c.authorRole, c.authorGroup)})`
        : authorName(c.authorRole, c.authorGroup),
      c.paragraph === null ? '—' : String(c.paragraph),
      c.proposedText ? `${c.body} (Proposed text: “${c.proposedText}”)` : c.body,
      c.disposition ? dispositionName[c.disposition] : 'No disposition',
      c.note ?? '',
    ]),
  );
  if (rows.length === 0) {
    return [{ kind: 'note', text: 'No comments were made on the guidelines in this paper.' }];
  }
  return [
    {
      kind: 'table',
      table: {
        name: 'dispositions',
        caption: 'Disposition of the comments made in consultation',
        columns: [...tableColumns.dispositions],
        rows,
      },
    },
  ];
}

/**
 * Each guideline's diff may take this long per pass before a coarser one is tried, so a paper of
 * fifty texts rewritten throughout still builds in seconds (and the build runs off the event loop).
 */
const diffBudget: DiffBudget = { passMs: 250, wordLimit: 400_000 };

const granularityWords = {
  word: 'deleted words struck through, inserted words underlined',
  line: 'the texts differ throughout, so whole lines are compared: deleted lines struck through, inserted lines underlined',
  paragraph: 'the texts differ throughout: the first struck through, the last underlined',
} as const;

export function diffAnnex(included: readonly Numbered[]): Block[] {
  return included.flatMap(({ label, guideline }): Block[] => {
    const revisions = [...guideline.revisions].sort((a, b) => a.number - b.number);
    const first = revisions[0];
    const last = revisions.at(-1);
    const heading: Block = { kind: 'heading', level: 3, text: `${label}. ${guideline.title}` };
    if (!first || !last || first.number === last.number) {
      return [
        heading,
        { kind: 'note', text: 'The text was not revised after its first submission.' },
      ];
    }
    const { granularity, operations } = boundedDiff(first.text, last.text, diffBudget);
    return [
      heading,
      {
        kind: 'diff',
        caption: `Revision ${last.number} against revision ${first.number}: ${granularityWords[granularity]}.`,
        operations,
      },
    ];
  });
}
