import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Block, DossierDocument, Table } from '../domain/dossier/document.js';

// The paper as a pdfmake document: A4, the masthead on the first page, the symbol in the header
// of every later page, page numbers in the footer, tables whose header row repeats. The font is
// pdfmake's own Roboto (from npm), which carries the accents of French and Spanish.

const columnWidths: Record<string, (string | number)[]> = {
  dispositions: [26, 44, 28, 56, 26, '*', 46, '*'],
  positions: [52, 34, 70, 64, '*'],
  // Eleven columns: fixed widths in a smaller type, so that the table fits the A4 text block.
  votes: [40, 40, 50, 30, 32, 22, 22, 30, 32, 32, 34],
};
const fontSizes: Record<string, number> = { votes: 7 };

function table(t: Table): Content {
  const widths = columnWidths[t.name] ?? t.columns.map(() => '*');
  const head: TableCell[] = t.columns.map((c) => ({ text: c, bold: true, fillColor: '#eeeeee' }));
  return {
    stack: [
      { text: t.caption, italics: true, fontSize: 9, margin: [0, 4, 0, 3] },
      {
        table: {
          headerRows: 1,
          widths,
          body: [head, ...t.rows.map((r) => r.map((text) => ({ text })))],
        },
        layout: {
          hLineWidth: () => 0.5,
          vLineWidth: () => 0.5,
          hLineColor: () => '#888888',
          vLineColor: () => '#888888',
        },
        fontSize: fontSizes[t.name] ?? 8,
        margin: [0, 0, 0, 10],
      },
    ],
  };
}

function block(b: Block): Content {
  switch (b.kind) {
    case 'heading':
      return {
        text: b.text,
        style: `h${b.level}`,
        headlineLevel: b.level,
        ...(b.id ? { id: b.id } : {}),
      };
    case 'paragraph': {
      const stack: Content[] = [{ text: b.text }];
      if (b.source) {
        const s = b.source;
        const changed = s.comments.length
          ? `; changed by ${s.comments.map((c) => c.ref).join(', ')}`
          : '';
        stack.push({
          text: `From revision ${s.revision}, round ${s.round}${changed}`,
          fontSize: 7.5,
          color: '#555555',
        });
      }
      return {
        columns: [
          { width: 26, text: b.number === null ? '' : `${b.number}.` },
          { width: '*', stack },
        ],
        columnGap: 4,
        margin: [0, 0, 0, 7],
      };
    }
    case 'note':
      return { text: b.text, italics: true, margin: [30, 0, 0, 7] };
    case 'table':
      return table(b.table);
    case 'diff':
      return {
        stack: [
          { text: b.caption, italics: true, fontSize: 9, margin: [0, 0, 0, 3] },
          {
            text: b.operations.map(({ op, text }) =>
              op === 'insert'
                ? { text, decoration: 'underline' as const, color: '#1b5e20' }
                : op === 'delete'
                  ? { text, decoration: 'lineThrough' as const, color: '#8e0000' }
                  : { text },
            ),
            margin: [0, 0, 0, 10],
          },
        ],
      };
  }
}

export function pdfDefinition(doc: DossierDocument): TDocumentDefinitions {
  const { content: c, build } = doc;
  const m = c.masthead;
  const masthead: Content = {
    columns: [
      {
        width: '*',
        stack: [
          { text: m.office.toUpperCase(), bold: true, characterSpacing: 0.5 },
          { text: m.body },
          { text: m.session },
          { text: m.placeAndMonth },
        ],
      },
      {
        width: 'auto',
        alignment: 'right',
        stack: [
          { text: build.symbol, bold: true, fontSize: 12 },
          { text: ' ' },
          { text: m.purpose, bold: true },
        ],
      },
    ],
    margin: [0, 0, 0, 18],
  };
  return {
    pageSize: 'A4',
    pageMargins: [62, 64, 62, 56],
    info: {
      title: `${build.symbol} — ${c.title}`,
      author: m.office,
      subject: `${m.body}, ${m.session}`,
      creationDate: new Date(build.builtAt),
    },
    header: (page) =>
      page === 1
        ? null
        : {
            text: build.symbol,
            alignment: 'right',
            bold: true,
            fontSize: 9,
            margin: [62, 28, 62, 0],
          },
    footer: (page, pages) => ({
      columns: [
        { text: build.symbol, fontSize: 8, color: '#555555' },
        { text: `${page} / ${pages}`, alignment: 'right', fontSize: 8 },
      ],
      margin: [62, 18, 62, 0],
    }),
    content: [
      masthead,
      { text: m.committee.toUpperCase(), style: 'centred' },
      { text: m.agendaItem.toUpperCase(), style: 'centred', margin: [0, 0, 0, 14] },
      { text: c.title, style: 'h1' },
      ...c.body.map(block),
      { text: `${build.dateLine}.`, margin: [0, 16, 0, 8] },
      ...(c.pointForDecision === null
        ? []
        : [{ text: `Point for decision: Paragraph ${c.pointForDecision}.`, bold: true }]),
      ...c.annexes.flatMap((a, i): Content[] => [
        { text: a.title, style: 'h2', pageBreak: 'before', ...(i === 0 ? {} : {}) },
        ...a.blocks.map(block),
      ]),
    ],
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 12, bold: true, alignment: 'center', margin: [0, 4, 0, 12] },
      h2: { fontSize: 11, bold: true, margin: [0, 12, 0, 6] },
      h3: { fontSize: 10.5, bold: true, italics: true, margin: [0, 8, 0, 5] },
      h4: { fontSize: 10, italics: true, margin: [0, 6, 0, 4] },
      centred: { alignment: 'center', bold: true },
    },
  };
}
