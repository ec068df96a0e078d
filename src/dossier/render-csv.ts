import type { Block, DossierDocument } from '../domain/dossier/document.js';

// The paper's tables as CSV (RFC 4180): every table of one name, one header row, CRLF lines.

export const csvTables = ['positions', 'votes', 'dispositions'] as const;
export type CsvTable = (typeof csvTables)[number];

const field = (value: string) =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export function renderCsv(doc: DossierDocument, name: CsvTable): string {
  const blocks: Block[] = [...doc.content.body, ...doc.content.annexes.flatMap((a) => a.blocks)];
  const tables = blocks.flatMap((b) =>
    b.kind === 'table' && b.table.name === name ? [b.table] : [],
  );
  const columns = tables[0]?.columns ?? defaultColumns[name];
  const lines = [columns, ...tables.flatMap((t) => t.rows)].map((r) => r.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

// The header row of an empty table, so a client always gets the same columns.
const defaultColumns: Record<CsvTable, string[]> = {
  positions: ['Guideline', 'Round', 'Group', 'Position', 'Statement'],
  votes: [
    'Guideline',
    'Vote',
    'Group',
    'Members',
    'Weight per member',
    'Yes',
    'No',
    'Abstain',
    'Weighted yes',
    'Weighted no',
    'Weighted abstain',
  ],
  dispositions: ['Ref.', 'Guideline', 'Round', 'From', 'Para.', 'Comment', 'Disposition', 'Note'],
};
