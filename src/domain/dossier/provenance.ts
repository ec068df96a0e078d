import { paragraphsOf } from '../anchors.js';
import type { ParagraphSource } from './document.js';
import type { GuidelineRecord } from './records.js';

// Where each paragraph of a guideline's final text comes from: the earliest revision from which it
// stands unchanged to the end, and the comments on the revision before that whose accepted or
// partially accepted disposition asked for the change. A comment counts when it was anchored to the
// paragraph at that position, was not anchored at all, or proposed text the paragraph now contains.

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

export function paragraphSources(
  guideline: GuidelineRecord,
  guidelineNumber: number,
  commentRef: (commentId: string) => string,
): ParagraphSource[] {
  const revisions = [...guideline.revisions].sort((a, b) => a.number - b.number);
  const last = revisions.at(-1);
  if (!last) return [];
  const paragraphSets = revisions.map((r) => new Set(paragraphsOf(r.text).map(normalise)));
  return paragraphsOf(last.text).map((text, index) => {
    const wanted = normalise(text);
    let origin = revisions.length - 1;
    while (origin > 0 && paragraphSets[origin - 1]?.has(wanted)) origin--;
    const from = revisions[origin]!;
    const before = origin > 0 ? revisions[origin - 1] : undefined;
    const comments = before
      ? guideline.comments.flatMap((c) => {
          if (c.revision !== before.number) return [];
          if (c.disposition !== 'accepted' && c.disposition !== 'partially_accepted') return [];
          const proposed = c.proposedText ? normalise(c.proposedText) : '';
          const concerns =
            c.paragraph === null ||
            c.paragraph === index + 1 ||
            (proposed.length > 0 && wanted.includes(proposed));
          return concerns ? [{ id: c.id, ref: commentRef(c.id), disposition: c.disposition }] : [];
        })
      : [];
    return {
      guidelineId: guideline.id,
      guidelineNumber,
      paragraph: index + 1,
      revision: from.number,
      round: from.round,
      audit: from.audit,
      comments,
    };
  });
}
