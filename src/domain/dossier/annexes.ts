import { wordDiff } from '../text-diff.js';
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
      authorName(c.authorRole, c.authorGroup),
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
    return [
      heading,
      {
        kind: 'diff',
        caption: `Revision ${last.number} against revision ${first.number}: deleted words struck through, inserted words underlined.`,
        operations: wordDiff(first.text, last.text),
      },
    ];
  });
}
