import type { Block, DossierDocument } from '../domain/dossier/document.js';
import { tableColumns } from '../domain/dossier/table-columns.js';

// The paper's tables as CSV (RFC 4180): every table of one name, one header row, CRLF lines.

export const csvTables = ['positions', 'votes', 'dispositions'] as const;
export type CsvTable = (typeof csvTables)[number];

/**
 * A cell a spreadsheet would take for a formula (a comment beginning with `=`, `+`, `-`, `@`, a tab
 * or a carriage return) is kept as text by a leading apostrophe; a plain number is left alone.
 */
const inert = (value: string) =>
  /^[=+\-@\t\r]/.test(value) && !/^[-+]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;

const field = (raw: string) => {
  const value = inert(raw);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
};

export function renderCsv(doc: DossierDocument, name: CsvTable): string {
  const blocks: Block[] = [...doc.content.body, ...doc.content.annexes.flatMap((a) => a.blocks)];
  const tables = blocks.flatMap((b) =>
    b.kind === 'table' && b.table.name === name ? [b.table] : [],
  );
  // A table with no rows still has its header row, so a client always gets the same columns.
  const columns = tables[0]?.columns ?? tableColumns[name];
  const lines = [columns, ...tables.flatMap((t) => t.rows)].map((r) => r.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
