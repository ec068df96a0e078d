// The one stylesheet of the HTML paper: A4, a serif body like the Office's papers, numbered
// paragraphs hanging in the margin, tables whose header rows repeat on every printed page.

export const dossierStylesheet = `
@page { size: A4; margin: 25mm 22mm 22mm 22mm; }
body { font-family: "Times New Roman", Times, serif; font-size: 11.5pt; line-height: 1.4; color: #000; max-width: 170mm; margin: 0 auto; padding: 1em; }
.masthead { display: grid; grid-template-columns: 1fr auto; gap: 0.2em 2em; border-bottom: 1px solid #000; padding-bottom: 0.8em; margin-bottom: 1.2em; }
.masthead .office { font-weight: bold; letter-spacing: 0.04em; }
.masthead .symbol { font-weight: bold; text-align: right; }
.masthead .purpose { font-weight: bold; text-align: right; }
.committee, .agenda { text-align: center; font-weight: bold; margin: 0.4em 0; }
h1 { font-size: 13pt; text-align: center; margin: 1em 0; }
h2 { font-size: 12pt; margin: 1.4em 0 0.6em; }
h3 { font-size: 11.5pt; font-style: italic; margin: 1.1em 0 0.5em; }
p.numbered { display: grid; grid-template-columns: 2.6em 1fr; margin: 0 0 0.7em; }
p.numbered .num { font-weight: normal; }
p.note { font-style: italic; margin: 0 0 0.7em 2.6em; }
.source { display: block; font-size: 9pt; color: #444; }
.source a { color: #1a4d8f; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 9.5pt; page-break-inside: auto; }
caption { text-align: left; font-style: italic; margin-bottom: 0.3em; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #777; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }
th { background: #eee; }
ins { text-decoration: underline; background: #e6f4e6; }
del { text-decoration: line-through; background: #f8e6e6; }
.diff { white-space: pre-wrap; }
.closing { margin-top: 2em; }
.point { margin-top: 1.5em; font-weight: bold; }
section.annex { page-break-before: always; }
@media print { .source a { color: #000; } }
`;
