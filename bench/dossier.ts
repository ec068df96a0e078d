import { writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ScenarioClock } from '../src/clock.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { dossierContent } from '../src/domain/dossier/build-document.js';
import type { DossierDocument } from '../src/domain/dossier/document.js';
import type { DossierRecords, GuidelineRecord } from '../src/domain/dossier/records.js';
import { dossierBuild } from '../src/domain/dossier/versioning.js';
import { groups } from '../src/domain/vocabulary.js';
import { renderHtml } from '../src/dossier/render-html.js';
import { renderMarkdown } from '../src/dossier/render-markdown.js';
import { createPdfRenderer } from '../src/dossier/render-pdf.js';
import { boundedWork } from '../src/workflow/bounded-work.js';
import { buildDossier } from '../src/workflow/dossier/build-dossier.js';
import { gatherDossierRecords } from '../src/workflow/dossier/gather-records.js';
import { storedSession } from './dossier-records.js';

// The Governing Body dossier for a large session: BENCH_GUIDELINES (50) guidelines with
// BENCH_COMMENTS (2,000) comments between them, each through two rounds, positions and a vote.
// Times the content, the HTML and Markdown, and the PDF typeset in its worker thread (the first
// run includes starting the worker). Prints figures; asserts nothing.
//
//   npm run bench:dossier            BENCH_OUT=/tmp/dossier  also writes the renderings there

const guidelineCount = Number(process.env.BENCH_GUIDELINES ?? 50);
const commentCount = Number(process.env.BENCH_COMMENTS ?? 2_000);
const runs = 3;

const day = (n: number) => new Date(Date.UTC(2005, 9, 1 + n, 9));
const paragraph = (g: number, p: number, revised: boolean) =>
  `Member States should ${revised ? 'effectively ' : ''}regulate recruitment (guideline ${g}, ` +
  `paragraph ${p}), with the social partners, in line with the Private Employment Agencies ` +
  'Convention, 1997 (No. 181): no fees to workers, contrats écrits, protección de los trabajadores.';

function records(): DossierRecords {
  const perGuideline = Math.ceil(commentCount / guidelineCount);
  const guidelines: GuidelineRecord[] = Array.from({ length: guidelineCount }, (_, i) => {
    const text = (revised: boolean) =>
      Array.from({ length: 5 }, (_, p) => paragraph(i + 1, p + 1, revised && p % 2 === 0)).join(
        '\n\n',
      );
    const electors = groups.flatMap((group) =>
      Array.from({ length: 12 }, (_, k) => ({ voterId: `${group}-${k}`, group, weight: 1 })),
    );
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      title: `Regulating recruitment ${i + 1}`,
      state: 'submitted_to_gb',
      awaitingDecision: true,
      section: { number: 1 + (i % 9), title: 'Protection of migrant workers' },
      revisions: [1, 2].map((n) => ({
        number: n,
        round: n,
        title: `Regulating recruitment ${i + 1}`,
        text: text(n === 2),
        references: ['C97', 'C143', 'C181'],
        createdAt: day(n),
        audit: { chain: `guideline:${i}`, seq: n * 3, hash: 'ab'.repeat(32) },
      })),
      positions: [1, 2].flatMap((round) =>
        groups.map((group) => ({
          round,
          group,
          stance: round === 1 ? ('support_with_reservations' as const) : ('support' as const),
          statement: `The ${group} group's view in round ${round}.`,
          submittedAt: day(round + 2),
        })),
      ),
      votes: [
        {
          round: 2,
          number: 1,
          rule: {
            votingRule: 'weighted_majority',
            requiredMajority: 'simple',
            quorum: 0.5,
            requireEachGroup: true,
          },
          ballot: 'open',
          strength: 12,
          openedAt: day(6),
          closedAt: day(7),
          result: 'passed',
          electors,
          ballots: electors.map((e, k) => ({
            voterId: e.voterId,
            choice: k % 5 === 0 ? 'no' : 'yes',
          })),
        },
      ],
      consensus: [],
      comments: Array.from({ length: perGuideline }, (_, k) => ({
        id: `c-${i}-${k}`,
        round: 1,
        revision: 1,
        authorRole: k % 7 === 0 ? ('observer' as const) : ('expert' as const),
        authorGroup: k % 7 === 0 ? null : groups[k % 3]!,
        body: `Comment ${k + 1}: the text should say more about fees and written contracts.`,
        paragraph: 1 + (k % 5),
        quote: null,
        proposedText: k % 4 === 0 ? 'effectively regulate' : null,
        disposition: (['accepted', 'partially_accepted', 'not_accepted', 'noted'] as const)[k % 4]!,
        note: k % 4 === 2 ? 'Outside the scope of the framework.' : null,
        createdAt: day(3),
      })),
      decisions: [],
    };
  });
  return {
    session: {
      id: '00000000-0000-4000-8000-000000000294',
      number: 294,
      name: 'Governing Body, 294th Session',
      venue: 'Geneva',
      startsAt: new Date('2005-11-03T08:00:00Z'),
      endsAt: new Date('2005-11-18T17:00:00Z'),
      paper: {},
    },
    frameworkTitle: 'ILO Multilateral Framework on Labour Migration',
    guidelines,
  };
}

const options = {
  symbol: 'GB.294/ESP/3',
  agendaItem: 'Third item on the agenda',
  purpose: 'FOR DECISION',
  committee: 'Committee on Employment and Social Policy',
};

async function time<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const input = records();
const pdf = createPdfRenderer({ timeoutMs: 120_000 });
const textWork = boundedWork();
const figures: Record<string, number[]> = {
  content: [],
  html: [],
  markdown: [],
  pdf: [],
  loopMax: [],
};
let last: { doc: DossierDocument; html: string; md: string; pdf: Uint8Array } | undefined;
for (let run = 0; run < runs; run++) {
  const [content, contentMs] = await time(() => dossierContent(input, options));
  const doc: DossierDocument = {
    content,
    build: dossierBuild(content, 1, new Date('2005-11-08T12:00:00Z')),
  };
  const [html, htmlMs] = await time(() => renderHtml(doc));
  const [md, mdMs] = await time(() => renderMarkdown(doc));
  // The PDF is typeset in its worker: the event loop here must stay free meanwhile.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const [bytes, pdfMs] = await time(() => pdf.render(doc));
  loop.disable();
  figures.loopMax!.push(loop.max / 1e6);
  figures.content!.push(contentMs);
  figures.html!.push(contentMs + htmlMs);
  figures.markdown!.push(contentMs + mdMs);
  figures.pdf!.push(contentMs + pdfMs);
  last = { doc, html, md, pdf: bytes };
}

// The same size of session stored in an embedded database, built the way the API builds it:
// gather the records, make the content, render all three, store the version and its audit entry.
const { db, close } = await openDatabase({ kind: 'pglite' });
await migrateToLatest(db);
const clock = new ScenarioClock(new Date('2005-11-08T12:00:00Z'));
const stored = await storedSession(db, clock, {
  guidelines: guidelineCount,
  comments: commentCount,
});
const by = { id: stored.secretariatId, role: 'secretariat' as const };
const gatherMs: number[] = [];
const buildMs: number[] = [];
for (let run = 0; run < runs; run++) {
  gatherMs.push((await time(() => gatherDossierRecords(db, stored.sessionId)))[1]);
  // A new symbol each run, so that each build is a new version rendered in full.
  const symbol = `GB.294/ESP/${run + 3}`;
  buildMs.push(
    (
      await time(() => buildDossier({ db, clock, pdf, textWork }, stored.sessionId, { symbol }, by))
    )[1],
  );
}
const unchangedMs = (
  await time(() => buildDossier({ db, clock, pdf, textWork }, stored.sessionId, {}, by))
)[1];
await close();
await pdf.close();
await textWork.close();

const fmt = (ms: number[]) => ms.map((m) => `${(m / 1000).toFixed(3)} s`).join(', ');
console.log(`dossier: ${guidelineCount} guidelines, ${commentCount} comments, ${runs} runs each`);
console.log(`  content model        ${fmt(figures.content!)}`);
console.log(
  `  HTML (model + HTML)  ${fmt(figures.html!)}   ${(last!.html.length / 1024).toFixed(0)} KiB`,
);
console.log(
  `  Markdown             ${fmt(figures.markdown!)}   ${(last!.md.length / 1024).toFixed(0)} KiB`,
);
console.log(
  `  PDF (model + PDF)    ${fmt(figures.pdf!)}   ${(last!.pdf.length / 1024).toFixed(0)} KiB (first run starts the worker)`,
);
console.log(`  stored (PGlite): gather the records  ${fmt(gatherMs)}`);
console.log(
  `  stored (PGlite): full build, new version (gather, render all, store)  ${fmt(buildMs)}`,
);
console.log(`  stored (PGlite): build with nothing changed  ${fmt([unchangedMs])}`);
console.log(
  `  event loop delay while the PDF was typeset (max): ${figures.loopMax!.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`,
);
if (process.env.BENCH_OUT) {
  await writeFile(`${process.env.BENCH_OUT}.html`, last!.html);
  await writeFile(`${process.env.BENCH_OUT}.md`, last!.md);
  await writeFile(`${process.env.BENCH_OUT}.pdf`, last!.pdf);
}
