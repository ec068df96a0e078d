import type { Block, DossierDocument } from '../domain/dossier/document.js';
import { tableColumns } from '../domain/dossier/table-columns.js';

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
  // A table with no rows still has its header row, so a client always gets the same columns.
  const columns = tables[0]?.columns ?? tableColumns[name];
  const lines = [columns, ...tables.flatMap((t) => t.rows)].map((r) => r.map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
