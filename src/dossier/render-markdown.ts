import type { Block, DossierDocument, Table } from '../domain/dossier/document.js';

// The paper as Markdown: the same blocks as the HTML, numbered paragraphs kept as text (not as a
// list, which would renumber them), tables as pipe tables.

const cell = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n+/g, ' ');

function table(t: Table): string {
  const head = `| ${t.columns.map(cell).join(' | ')} |`;
  const rule = `|${t.columns.map(() => ' --- ').join('|')}|`;
  const rows = t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [`*${t.caption}*`, '', head, rule, ...rows].join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${b.text}`;
    case 'paragraph': {
      const text = b.number === null ? b.text : `${b.number}\\. ${b.text}`;
      if (!b.source) return text;
      const s = b.source;
      const comments = s.comments.length
        ? `; changed by ${s.comments.map((c) => c.ref).join(', ')}`
        : '';
      return `${text}\n<sub>From revision ${s.revision}, round ${s.round}${comments}</sub>`;
    }
    case 'note':
      return `*${b.text}*`;
    case 'table':
      return table(b.table);
    case 'diff':
      return [
        `*${b.caption}*`,
        '',
        b.operations
          .map(({ op, text }) =>
            op === 'insert' ? `<ins>${text}</ins>` : op === 'delete' ? `~~${text}~~` : text,
          )
          .join(''),
      ].join('\n');
  }
}

export function renderMarkdown(doc: DossierDocument): string {
  const { content: c, build } = doc;
  const m = c.masthead;
  const parts = [
    `**${m.office.toUpperCase()}** — **${build.symbol}**  `,
    `${m.body}, ${m.session}  `,
    `${m.placeAndMonth} — **${m.purpose}**`,
    '',
    `**${m.committee.toUpperCase()}**`,
    '',
    `**${m.agendaItem.toUpperCase()}**`,
    '',
    `# ${c.title}`,
    ...c.body.map(block),
    `${build.dateLine}.`,
    ...(c.pointForDecision === null
      ? []
      : [`**Point for decision: Paragraph ${c.pointForDecision}.**`]),
    ...c.annexes.flatMap((a) => [`## ${a.title}`, ...a.blocks.map(block)]),
  ];
  return `${parts.join('\n\n')}\n`;
}
