import { describe, expect, it } from 'vitest';
import { anchorProblem, paragraphsOf, relocateAnchor } from '../../src/domain/anchors.js';

const r1 = [
  'Governments should license private recruitment agencies.',
  'No fees should be charged to migrant workers for recruitment.',
  'Contracts should be in a language the worker understands.',
].join('\n\n');

describe('anchors', () => {
  it('numbers paragraphs between blank lines', () => {
    expect(paragraphsOf(r1)).toHaveLength(3);
    expect(paragraphsOf('\n\nOne.\n\n\n\nTwo.\n')).toEqual(['One.', 'Two.']);
  });

  it('accepts a quote in its paragraph and refuses one that is not there, with the reason', () => {
    expect(anchorProblem(r1, { paragraph: 2, exact: 'No fees' })).toBeNull();
    expect(anchorProblem(r1, { paragraph: 1, exact: 'No fees' })).toBe(
      'paragraph 1 does not contain the quoted text',
    );
    expect(anchorProblem(r1, { paragraph: 9, exact: 'No fees' })).toMatch(/no paragraph 9/);
    expect(
      anchorProblem(r1, { paragraph: 2, exact: 'fees', prefix: 'Many ', suffix: ' should' }),
    ).toMatch(/not with that prefix/);
  });

  // The quoted passage across three revisions: kept, moved, reworded, deleted.
  const anchor = { paragraph: 2, exact: 'No fees should be charged', suffix: ' to migrant' };
  const r2 = [
    'Governments should license and supervise private recruitment agencies.',
    'No fees should be charged to migrant workers for recruitment.',
    'Contracts should be in a language the worker understands.',
  ].join('\n\n');
  const r3 = [
    'Contracts should be in a language the worker understands.',
    'Governments should license and supervise private recruitment agencies.',
    'No fees should be charged to migrant workers, directly or indirectly.',
  ].join('\n\n');
  const r4 = [
    'Contracts should be in a language the worker understands.',
    'Recruitment costs should be borne by employers, not by workers.',
  ].join('\n\n');

  it('keeps an anchor where the passage stayed', () => {
    expect(relocateAnchor(anchor, r2)).toEqual({ status: 'anchored', paragraph: 2 });
  });

  it('follows a passage to the paragraph it moved to', () => {
    expect(relocateAnchor(anchor, r3)).toEqual({ status: 'relocated', paragraph: 3 });
  });

  it('orphans an anchor whose passage was reworded or deleted, and never drops it', () => {
    expect(relocateAnchor(anchor, r4)).toEqual({ status: 'orphaned', paragraph: null });
    expect(relocateAnchor({ paragraph: 1, exact: 'supervise' }, r4)).toEqual({
      status: 'orphaned',
      paragraph: null,
    });
  });

  it('chooses among repeated quotes by the prefix and suffix', () => {
    const text = ['Workers should be informed.', 'Employers should be informed too.'].join('\n\n');
    const second = { paragraph: 2, exact: 'should be informed', prefix: 'Employers ' };
    expect(relocateAnchor(second, text)).toEqual({ status: 'anchored', paragraph: 2 });
    const swapped = ['Employers should be informed too.', 'Workers should be informed.'].join(
      '\n\n',
    );
    expect(relocateAnchor(second, swapped)).toEqual({ status: 'relocated', paragraph: 1 });
    const first = { paragraph: 1, exact: 'should be informed', prefix: 'Workers ' };
    expect(relocateAnchor(first, swapped)).toEqual({ status: 'relocated', paragraph: 2 });
  });
});

describe('anchors in repetitive text', () => {
  // "fee" occurs thousands of times; only its last occurrence has the selector's context.
  const text = `${'fee '.repeat(5_000)}the fee charged to workers.\n\nAnother paragraph.`;
  const anchor = { paragraph: 1, exact: 'fee', prefix: 'the ', suffix: ' charged' };

  it('accepts a quote whose context holds only at its last occurrence', () => {
    expect(anchorProblem(text, anchor)).toBeNull();
  });

  it('re-locates it there in one search, and to its new paragraph when it moved', () => {
    expect(relocateAnchor(anchor, text)).toEqual({ status: 'anchored', paragraph: 1 });
    expect(relocateAnchor(anchor, `Intro.\n\n${text}`)).toEqual({
      status: 'relocated',
      paragraph: 2,
    });
  });
});
