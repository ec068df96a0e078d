import type { Block, DossierDocument, ParagraphSource, Table } from '../domain/dossier/document.js';
import { diffHtml } from '../domain/text-diff.js';
import { dossierStylesheet } from './html-style.js';

// The paper as one print-ready HTML page: a masthead, headings in order, numbered paragraphs whose
// provenance links to the revision and the comments behind them, and tables with header cells.

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

/** The anchor of a comment's row in the disposition annex. */
export const commentAnchor = (ref: string) => `comment-${ref.replace(/\./g, '-')}`;

/**
 * The paragraph's origin, with links a reader of the record can follow: the revision itself, the
 * guideline's history (where the audit entry that froze it is), the comments that changed it.
 */
function sourceLine(s: ParagraphSource): string {
  const guideline = `/api/v1/guidelines/${encodeURIComponent(s.guidelineId)}`;
  const revision = `<a href="${guideline}/revisions/${s.revision}">revision ${s.revision}</a>`;
  const audit = s.audit
    ? ` (<a href="${guideline}/history">audit ${escapeHtml(s.audit.chain)} #${s.audit.seq}</a>)`
    : '';
  const comments =
    s.comments.length === 0
      ? ''
      : `; changed by ${s.comments
          .map((c) => `<a href="#${commentAnchor(c.ref)}">${escapeHtml(c.ref)}</a>`)
          .join(', ')}`;
  return `<span class="source">From ${revision}, round ${s.round}${audit}${comments}</span>`;
}

function table(t: Table): string {
  const head = t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('');
  const rows = t.rows
    .map((row) => {
      const id = t.name === 'dispositions' ? ` id="${commentAnchor(row[0] ?? '')}"` : '';
      return `<tr${id}>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<table data-table="${escapeHtml(t.name)}"><caption>${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading': {
      const id = b.id ? ` id="${escapeHtml(b.id)}"` : '';
      return `<h${b.level}${id}>${escapeHtml(b.text)}</h${b.level}>`;
    }
    case 'paragraph': {
      const id = b.id ? ` id="${escapeHtml(b.id)}"` : '';
      const num = b.number === null ? '' : `<span class="num">${b.number}.</span>`;
      const source = b.source ? sourceLine(b.source) : '';
      return `<p class="numbered"${id}>${num}<span>${escapeHtml(b.text)}${source}</span></p>`;
    }
    case 'note':
      return `<p class="note">${escapeHtml(b.text)}</p>`;
    case 'table':
      return table(b.table);
    case 'diff': {
      return `<figure><figcaption>${escapeHtml(b.caption)}</figcaption><div class="diff">${diffHtml(b.operations)}</div></figure>`;
    }
  }
}

export function renderHtml(doc: DossierDocument): string {
  const { content: c, build } = doc;
  const m = c.masthead;
  const annexes = c.annexes
    .map(
      (a) =>
        `<section class="annex" id="${escapeHtml(a.id)}" aria-labelledby="${escapeHtml(a.id)}-title"><h2 id="${escapeHtml(a.id)}-title">${escapeHtml(a.title)}</h2>\n${a.blocks.map(block).join('\n')}\n</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(build.symbol)} — ${escapeHtml(c.title)}</title>
<style>${dossierStylesheet}</style>
</head>
<body>
<header class="masthead">
<div class="office">${escapeHtml(m.office.toUpperCase())}</div><div class="symbol">${escapeHtml(build.symbol)}</div>
<div>${escapeHtml(m.body)}</div><div>${escapeHtml(m.session)}</div>
<div>${escapeHtml(m.placeAndMonth)}</div><div class="purpose">${escapeHtml(m.purpose)}</div>
</header>
<p class="committee">${escapeHtml(m.committee.toUpperCase())}</p>
<p class="agenda">${escapeHtml(m.agendaItem.toUpperCase())}</p>
<main>
<h1>${escapeHtml(c.title)}</h1>
${c.body.map(block).join('\n')}
<p class="closing">${escapeHtml(build.dateLine)}.</p>
${c.pointForDecision === null ? '' : `<p class="point">Point for decision: Paragraph ${c.pointForDecision}.</p>`}
</main>
${annexes}
</body>
</html>
`;
}
