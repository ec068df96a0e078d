import { describe, expect, it } from 'vitest';
import { dossierContent } from '../../src/domain/dossier/build-document.js';
import type { DossierDocument } from '../../src/domain/dossier/document.js';
import type { DossierRecords, GuidelineRecord } from '../../src/domain/dossier/records.js';
import { contentHash, dossierBuild, revisedSymbol } from '../../src/domain/dossier/versioning.js';
import { ordinal } from '../../src/domain/dossier/wording.js';
import { renderCsv } from '../../src/dossier/render-csv.js';
import { renderHtml } from '../../src/dossier/render-html.js';
import { renderMarkdown } from '../../src/dossier/render-markdown.js';
import { createPdfRenderer } from '../../src/dossier/render-pdf.js';
import { pdfPages } from '../helpers/dossier-pdf.js';

// The paper's content as a pure function of the records: numbering, the point for decision,
// provenance, versions, and renderers that escape what people wrote.

const at = (iso: string) => new Date(iso);
const options = {
  symbol: 'GB.301/POL/2',
  agendaItem: 'Second item on the agenda',
  purpose: 'FOR DEBATE AND GUIDANCE',
  committee: 'Committee on Technical Cooperation',
};

function guideline(n: number, overrides: Partial<GuidelineRecord> = {}): GuidelineRecord {
  return {
    id: `g-${n}`,
    title: `Guideline title ${n}`,
    state: 'submitted_to_gb',
    awaitingDecision: true,
    section: { number: n, title: `Section ${n}` },
    revisions: [
      {
        number: 1,
        round: 1,
        title: `Guideline title ${n}`,
        text: `First of ${n}.\n\nSecond of ${n}.`,
        references: ['C97'],
        createdAt: at('2031-01-10T09:00:00Z'),
        audit: null,
      },
    ],
    positions: [],
    votes: [],
    consensus: [],
    comments: [],
    decisions: [],
    ...overrides,
  };
}

const records = (guidelines: GuidelineRecord[]): DossierRecords => ({
  session: {
    id: 'session-301',
    number: 301,
    name: 'Governing Body, 301st Session',
    venue: null,
    startsAt: at('2031-03-06T09:00:00Z'),
    endsAt: at('2031-03-20T17:00:00Z'),
    paper: {},
  },
  frameworkTitle: 'Framework on Care Work',
  guidelines,
});

const paragraphs = (doc: ReturnType<typeof dossierContent>) =>
  doc.body.flatMap((b) => (b.kind === 'paragraph' ? [[b.number, b.text] as const] : []));

describe('the dossier content', () => {
  it('says plainly when no comments were made, and counts them when there were', () => {
    const quiet = paragraphs(dossierContent(records([guideline(1)]), options));
    expect(quiet[1]?.[1]).toContain('No comments were made in consultation on these guidelines');
    expect(JSON.stringify(quiet)).not.toContain('all no comments');
  });

  it('takes its session, month, framework and masthead from the records, not from 2005', () => {
    const content = dossierContent(records([guideline(1)]), options);
    expect(content.masthead).toEqual({
      office: 'International Labour Office',
      body: 'Governing Body',
      session: '301st Session',
      placeAndMonth: 'Geneva, March 2031',
      committee: 'Committee on Technical Cooperation',
      purpose: 'FOR DEBATE AND GUIDANCE',
      agendaItem: 'Second item on the agenda',
    });
    expect(content.title).toBe('Guidelines of the Framework on Care Work submitted for decision');
    expect(JSON.stringify(content)).not.toMatch(/2005|294/);
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '101st',
      '111th',
    ]);
  });

  it('numbers paragraphs continuously through the paper and names pending guidelines in the point for decision', () => {
    const approved = guideline(2, {
      state: 'approved',
      awaitingDecision: false,
      decisions: [
        { decision: 'approved', instructions: null, recordedAt: at('2031-03-15T10:00:00Z') },
      ],
    });
    const content = dossierContent(records([guideline(1), approved, guideline(3)]), options);
    const numbers = paragraphs(content).map(([n]) => n);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    const texts = paragraphs(content);
    expect(texts.slice(2, 8).map(([n, text]) => `${n} ${text}`)).toEqual([
      '3 First of 1.',
      '4 Second of 1.',
      '5 First of 2.',
      '6 Second of 2.',
      '7 First of 3.',
      '8 Second of 3.',
    ]);
    const point = texts.find(([n]) => n === content.pointForDecision)?.[1];
    expect(point).toContain('approve guidelines 1 and 3 of the Framework on Care Work');
    expect(point).toContain('as set out in paragraphs 3–4 and 7–8 of this paper');
  });

  it('says so when nothing is before the Governing Body yet', () => {
    const content = dossierContent(records([]), options);
    expect(paragraphs(content)[0]?.[1]).toContain('at its 301st Session no guidelines of the');
    expect(paragraphs(content).at(-1)?.[1]).toBe(
      'No guideline in this paper awaits a decision; the Committee may wish to take note of it.',
    );
  });

  it('leaves out a guideline referred back, with a note and the instructions', () => {
    const referred = guideline(2, {
      state: 'revision',
      awaitingDecision: false,
      decisions: [
        {
          decision: 'referred_back',
          instructions: 'Consult again.',
          recordedAt: at('2031-03-15T10:00:00Z'),
        },
      ],
    });
    const content = dossierContent(records([guideline(1), referred]), options);
    const all = JSON.stringify(content.body);
    expect(all).not.toContain('First of 2.');
    expect(all).toContain('was referred back to the Office for revision');
    expect(all).toContain('Consult again.');
    expect(paragraphs(content).at(-1)?.[1]).toContain('approve guideline 1 of');
  });

  it('traces a paragraph to the revision that made it and the accepted comments on the one before', () => {
    const comment = (
      id: string,
      revision: number,
      disposition: 'accepted' | 'partially_accepted' | 'not_accepted' | 'noted',
      paragraph: number | null,
    ) => ({
      id,
      round: revision,
      revision,
      authorRole: 'expert' as const,
      authorGroup: 'employers' as const,
      body: `Comment ${id}`,
      paragraph,
      quote: null,
      proposedText: null,
      disposition,
      note: disposition === 'not_accepted' ? 'No.' : null,
      createdAt: at('2031-01-11T09:00:00Z'),
    });
    const g = guideline(1, {
      revisions: [1, 2, 3].map((number) => ({
        number,
        round: number,
        title: 'T',
        text: number < 3 ? 'Kept.\n\nOld wording.' : 'Kept.\n\nNew wording.',
        references: [],
        createdAt: at('2031-01-10T09:00:00Z'),
        audit: { chain: 'guideline:g-1', seq: number * 4, hash: 'f'.repeat(64) },
      })),
      comments: [
        comment('a', 1, 'accepted', 2),
        comment('b', 2, 'partially_accepted', null),
        comment('c', 2, 'not_accepted', 2),
        comment('d', 2, 'noted', 2),
        comment('e', 2, 'accepted', 1),
      ],
    });
    const { provenance } = dossierContent(records([g]), options);
    expect(
      provenance.map((p) => [p.paragraph, p.revision, p.audit?.seq, p.comments.map((c) => c.ref)]),
    ).toEqual([
      [1, 1, 4, []],
      [2, 3, 12, ['G1.2']],
    ]);
  });

  it('is the same content for the same records, whatever the build date; the symbol gets (Rev.N)', () => {
    const a = dossierContent(records([guideline(1)]), options);
    const b = dossierContent(records([guideline(1)]), options);
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(dossierContent(records([guideline(1), guideline(2)]), options))).not.toBe(
      contentHash(a),
    );
    expect(dossierBuild(a, 1, at('2031-03-01T00:00:00Z'))).toMatchObject({
      symbol: 'GB.301/POL/2',
      dateLine: 'Geneva, 1 March 2031',
    });
    expect(revisedSymbol('GB.301/POL/2', 3)).toBe('GB.301/POL/2(Rev.2)');
  });
});

describe('the renderings', () => {
  const tricky = guideline(1, {
    comments: [
      {
        id: 'x',
        round: 1,
        revision: 1,
        authorRole: 'observer',
        authorGroup: null,
        body: 'Say "fair", not <b>cheap</b>, | and, also\nthis',
        paragraph: null,
        quote: null,
        proposedText: null,
        disposition: 'noted',
        note: null,
        createdAt: at('2031-01-11T09:00:00Z'),
      },
    ],
  });
  const content = dossierContent(records([tricky]), options);
  const doc: DossierDocument = {
    content,
    build: dossierBuild(content, 2, at('2031-03-01T00:00:00Z')),
  };

  it('escape what people wrote in HTML, Markdown and CSV', () => {
    const html = renderHtml(doc);
    expect(html).toContain('Say &quot;fair&quot;, not &lt;b&gt;cheap&lt;/b&gt;');
    expect(html).not.toContain('<b>cheap</b>');
    expect(renderMarkdown(doc)).toContain('Say "fair", not <b>cheap</b>, \\| and, also this');
    expect(renderCsv(doc, 'dispositions').split('\r\n')[1]).toBe(
      'G1.1,Guideline 1,1,Observer,—,"Say ""fair"", not <b>cheap</b>, | and, also\nthis",Noted,',
    );
  });

  it('keep a comment that looks like a spreadsheet formula as text in CSV', () => {
    const formula = guideline(1, {
      comments: [
        {
          ...tricky.comments[0]!,
          body: '=HYPERLINK("http://evil.example","click")',
          note: '+1 from the workers',
        },
      ],
    });
    const content = dossierContent(records([formula]), options);
    const csv = renderCsv(
      { content, build: dossierBuild(content, 1, at('2031-03-01T00:00:00Z')) },
      'dispositions',
    );
    const row = csv.split('\r\n')[1]!;
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(row).toContain("'+1 from the workers");
    expect(row.startsWith('G1.1,Guideline 1,1,')).toBe(true);
  });

  it('repeat the header row of a long table on every page it runs over, in the PDF', async () => {
    const many = guideline(1, {
      comments: Array.from({ length: 90 }, (_, k) => ({
        ...tricky.comments[0]!,
        id: `c-${k}`,
        body: `Comment number ${k + 1} asks for clearer wording on the recruitment fees paid abroad.`,
      })),
    });
    const content = dossierContent(records([many]), options);
    const pdf = createPdfRenderer();
    try {
      const bytes = await pdf.render({
        content,
        build: dossierBuild(content, 1, at('2031-03-01T00:00:00Z')),
      });
      const pages = await pdfPages(bytes);
      // The annex's pages: those showing its rows, each of which must show the header again.
      const annex = pages.filter((page) => /Comment number \d+\s+asks/.test(page));
      expect(annex.length).toBeGreaterThan(1);
      for (const page of annex) {
        expect(page).toContain('Ref. Guideline Round From Para. Comment Disposition Note');
      }
    } finally {
      await pdf.close();
    }
  }, 60_000);

  it('give an empty table its header row', () => {
    expect(renderCsv(doc, 'votes')).toBe(
      'Guideline,Vote,Group,Members,Weight per member,Yes,No,Abstain,Weighted yes,Weighted no,Weighted abstain\r\n',
    );
  });

  it('carry the revised symbol and the point for decision', () => {
    for (const text of [renderHtml(doc), renderMarkdown(doc)]) {
      expect(text).toContain('GB.301/POL/2(Rev.1)');
      expect(text).toContain(`Point for decision: Paragraph ${content.pointForDecision}.`);
      expect(text).toContain('Geneva, 1 March 2031.');
    }
  });
});
