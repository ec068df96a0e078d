import { paragraphsOf } from '../anchors.js';
import { diffAnnex, dispositionAnnex, type Numbered } from './annexes.js';
import { consultationBlocks } from './consultation.js';
import type { Block, DossierContent, ParagraphSource } from './document.js';
import { paragraphSources } from './provenance.js';
import type { DossierOptions, DossierRecords, GuidelineRecord } from './records.js';
import { listed, longDate, monthYear, ordinal, plural } from './wording.js';

// The content of a Governing Body paper from the session's records (SPEC section 6). Pure: the
// same records and options always give the same content, which is what makes a version.

const latestDecision = (g: GuidelineRecord) => g.decisions.at(-1) ?? null;

/** In the paper's text: awaiting this session's decision, or approved by it. */
const inPaper = (g: GuidelineRecord) =>
  g.awaitingDecision || latestDecision(g)?.decision === 'approved';

/** `paragraph 3`, `paragraphs 3–5 and 9–11`. */
const paragraphWords = (ranges: string[]) =>
  `${ranges.length === 1 && !ranges[0]?.includes('–') ? 'paragraph' : 'paragraphs'} ${listed(ranges)}`;

export function dossierContent(records: DossierRecords, options: DossierOptions): DossierContent {
  const { session, frameworkTitle } = records;
  let counter = 0;
  const next = () => ++counter;

  const included: Numbered[] = records.guidelines.filter(inPaper).map((guideline, i) => {
    const refs = new Map(guideline.comments.map((c, k) => [c.id, `G${i + 1}.${k + 1}`]));
    return { number: i + 1, label: `Guideline ${i + 1}`, guideline, refs };
  });
  const left = records.guidelines.filter((g) => !inPaper(g));
  const pending = included.filter((n) => n.guideline.awaitingDecision);
  const comments = included.reduce((n, g) => n + g.guideline.comments.length, 0);

  const body: Block[] = [];
  body.push({
    kind: 'paragraph',
    number: next(),
    text:
      `This paper submits to the Governing Body at its ${ordinal(session.number)} Session ` +
      `${plural(included.length, 'guideline')} of the ${frameworkTitle}, as adopted after ` +
      'tripartite review by a meeting of experts of governments, employers and workers, in which ' +
      'each group has equal voting strength.',
  });
  body.push({
    kind: 'paragraph',
    number: next(),
    text:
      `For each guideline the paper gives its final text, its section of the framework and the ` +
      `instruments it refers to, then a summary of its consultation: the position of each group, ` +
      `the votes with their weights and the consensus reached. ` +
      (comments === 0
        ? 'No comments were made in consultation on these guidelines, so Annex I is empty; '
        : `Annex I sets out the disposition of all ${plural(comments, 'comment')} made in consultation; `) +
      'Annex II shows how each text changed from its first revision to its last.',
  });

  const provenance: ParagraphSource[] = [];
  if (included.length > 0) body.push({ kind: 'heading', level: 2, text: 'The guidelines' });
  // Where each guideline's text stands in the paper, for the point for decision.
  const textRanges = new Map<number, string>();
  for (const n of included) {
    const g = n.guideline;
    const last = [...g.revisions].sort((a, b) => a.number - b.number).at(-1);
    body.push({
      kind: 'heading',
      level: 3,
      id: `guideline-${n.number}`,
      text: `${n.label}. ${last?.title ?? g.title}`,
    });
    const decision = latestDecision(g);
    const references = last?.references ?? [];
    body.push({
      kind: 'note',
      text:
        `Framework section ${g.section.number}: ${g.section.title}. ` +
        `Instruments referred to: ${references.length > 0 ? references.join(', ') : 'none'}. ` +
        (last ? `Text of revision ${last.number} (round ${last.round}).` : 'No frozen text.') +
        (decision?.decision === 'approved'
          ? ` Approved by the Governing Body on ${longDate(decision.recordedAt)}.`
          : ''),
    });
    const sources = paragraphSources(g, n.number, (id) => n.refs.get(id) ?? id);
    const paragraphs = last ? paragraphsOf(last.text) : [];
    const first = counter + 1;
    paragraphs.forEach((text, i) => {
      const source = sources[i]!;
      provenance.push(source);
      body.push({
        kind: 'paragraph',
        number: next(),
        id: `g${n.number}-p${i + 1}`,
        text,
        source,
      });
    });
    if (paragraphs.length > 0) {
      textRanges.set(n.number, first === counter ? `${first}` : `${first}–${counter}`);
    }
  }

  if (included.length > 0) {
    body.push({ kind: 'heading', level: 2, text: 'Summary of the consultation' });
    for (const n of included) {
      body.push({ kind: 'heading', level: 3, text: `${n.label}. ${n.guideline.title}` });
      body.push(...consultationBlocks(n.label, n.guideline, next));
    }
  }

  const decided = records.guidelines.filter((g) => g.decisions.length > 0);
  if (decided.length > 0) {
    body.push({
      kind: 'heading',
      level: 2,
      text: 'Decisions of the Governing Body recorded so far',
    });
    for (const g of decided) {
      for (const d of g.decisions) {
        const words = {
          approved: 'approved',
          referred_back: 'referred back to the Office',
          deferred: 'deferred to a later session',
        }[d.decision];
        body.push({
          kind: 'paragraph',
          number: next(),
          text:
            `On ${longDate(d.recordedAt)} the Governing Body ${words} the guideline “${g.title}”` +
            (d.instructions ? `, with these instructions: ${d.instructions}` : '.'),
        });
      }
    }
  }
  for (const g of left) {
    const d = latestDecision(g);
    const why =
      d?.decision === 'referred_back'
        ? 'was referred back to the Office for revision and will come back at a later session'
        : d?.decision === 'deferred'
          ? 'was deferred and is no longer before the Governing Body at this session'
          : g.state === 'withdrawn'
            ? 'was withdrawn by the Office and is no longer before the Governing Body'
            : 'is no longer before the Governing Body at this session';
    body.push({
      kind: 'note',
      text: `Note: the guideline “${g.title}”, in an earlier version of this paper, ${why}.`,
    });
  }

  const pointForDecision = next();
  const names = pending.map((n) => n.number);
  body.push({
    kind: 'paragraph',
    number: pointForDecision,
    text:
      pending.length === 0
        ? 'No guideline in this paper awaits a decision; the Committee may wish to take note of it.'
        : `The Committee may wish to recommend that the Governing Body approve ${
            pending.length === 1 ? 'guideline' : 'guidelines'
          } ${listed(names)} of the ${frameworkTitle}, as set out in ${paragraphWords(pending.flatMap((n) => textRanges.get(n.number) ?? []))} ` +
          'of this paper, and request the Director-General to publish them and to take them into ' +
          'account in the future work of the Office.',
  });

  return {
    sessionId: session.id,
    masthead: {
      office: 'International Labour Office',
      body: 'Governing Body',
      session: `${ordinal(session.number)} Session`,
      placeAndMonth: `${session.venue ?? 'Geneva'}, ${monthYear(session.startsAt)}`,
      committee: options.committee,
      purpose: options.purpose,
      agendaItem: options.agendaItem,
    },
    baseSymbol: options.symbol,
    title: `Guidelines of the ${frameworkTitle} submitted for decision`,
    body,
    annexes: [
      {
        id: 'annex-1',
        title: 'Annex I. Disposition of comments',
        blocks: dispositionAnnex(included),
      },
      { id: 'annex-2', title: 'Annex II. Changes made to the texts', blocks: diffAnnex(included) },
    ],
    pointForDecision,
    provenance,
  };
}
