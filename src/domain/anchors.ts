import type { AnchorStatus } from './vocabulary.js';

// Comments anchored to a passage with a W3C Web Annotation TextQuoteSelector (exact, prefix,
// suffix) plus the paragraph it was made on. Pure: where a quote is, and where it went in a new text.

export interface QuoteAnchor {
  paragraph: number;
  exact: string;
  prefix?: string | undefined;
  suffix?: string | undefined;
}

/** A guideline's paragraphs, numbered from 1: blocks of text between blank lines. */
export function paragraphsOf(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * Occurrences of a quote considered at most, per paragraph. A short quote of a repetitive text can
 * occur tens of thousands of times, and each is scored; past this many, the quote says too little
 * for its context to be weighed everywhere, and the first ones stand for it.
 */
export const maxOccurrences = 200;

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (
    let at = haystack.indexOf(needle);
    at !== -1 && found.length < maxOccurrences;
    at = haystack.indexOf(needle, at + 1)
  ) {
    found.push(at);
  }
  return found;
}

/** How much of the selector's context surrounds the quote at `at`: 0 when none of it does. */
function contextScore(paragraph: string, at: number, anchor: QuoteAnchor): number {
  let score = 0;
  const before = paragraph.slice(0, at);
  const after = paragraph.slice(at + anchor.exact.length);
  if (anchor.prefix) {
    let n = 0;
    while (n < anchor.prefix.length && before.at(-1 - n) === anchor.prefix.at(-1 - n)) n++;
    score += n;
  }
  if (anchor.suffix) {
    let n = 0;
    while (n < anchor.suffix.length && after[n] === anchor.suffix[n]) n++;
    score += n;
  }
  return score;
}

/**
 * The quote with the whole of its context: where this occurs, the context holds in full. One
 * search for it, rather than a look around every occurrence of a quote that may occur thousands
 * of times.
 */
const inContext = (anchor: QuoteAnchor) =>
  `${anchor.prefix ?? ''}${anchor.exact}${anchor.suffix ?? ''}`;

/** null when the anchor names a passage of the text; otherwise what is wrong with it. */
export function anchorProblem(text: string, anchor: QuoteAnchor): string | null {
  const paragraphs = paragraphsOf(text);
  const paragraph = paragraphs[anchor.paragraph - 1];
  if (paragraph === undefined) {
    return `there is no paragraph ${anchor.paragraph}: the text has ${paragraphs.length}`;
  }
  if (!paragraph.includes(anchor.exact)) {
    return `paragraph ${anchor.paragraph} does not contain the quoted text`;
  }
  if (!paragraph.includes(inContext(anchor))) {
    return `the quoted text is in paragraph ${anchor.paragraph}, but not with that prefix and suffix`;
  }
  return null;
}

export interface Relocation {
  status: AnchorStatus;
  /** The paragraph the passage is in now; null when it is gone. */
  paragraph: number | null;
}

/**
 * Where an anchored passage is in a new text. The exact quote is looked for first in the paragraph
 * it was on, then anywhere; where it occurs more than once, the occurrence with most of the
 * selector's prefix and suffix around it wins. A passage no longer in the text is orphaned.
 */
export function relocateAnchor(anchor: QuoteAnchor, newText: string): Relocation {
  const paragraphs = paragraphsOf(newText);
  // The passage with its whole context: where it was, or else its first place elsewhere.
  const whole = inContext(anchor);
  if (paragraphs[anchor.paragraph - 1]?.includes(whole)) {
    return { status: 'anchored', paragraph: anchor.paragraph };
  }
  const moved = paragraphs.findIndex((p) => p.includes(whole));
  if (moved !== -1) return { status: 'relocated', paragraph: moved + 1 };
  // Otherwise the occurrence with most of its context around it (bounded: see maxOccurrences).
  const candidates = paragraphs.flatMap((paragraph, i) =>
    occurrences(paragraph, anchor.exact).map((at) => ({
      paragraph: i + 1,
      score: contextScore(paragraph, at, anchor),
    })),
  );
  if (candidates.length === 0) return { status: 'orphaned', paragraph: null };
  const best = candidates.reduce((a, b) => {
    if (a.score !== b.score) return a.score > b.score ? a : b;
    // Equal context: staying in the same paragraph beats moving.
    return b.paragraph === anchor.paragraph && a.paragraph !== anchor.paragraph ? b : a;
  });
  return { status: 'relocated', paragraph: best.paragraph };
}
