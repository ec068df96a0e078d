import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundedDiff, diffHtml, diffStats, wordDiff } from '../../src/domain/text-diff.js';

const words = fc
  .array(
    fc.constantFrom('migrant', 'workers', 'shall', 'fees', 'C97', '<b>', '&', '\n\n', ' ', ', '),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.join(' '));

describe('word diff', () => {
  it('rebuilds the old text from equal + delete and the new one from equal + insert', () => {
    fc.assert(
      fc.property(words, words, (before, after) => {
        const ops = wordDiff(before, after);
        const join = (skip: string) =>
          ops
            .filter((o) => o.op !== skip)
            .map((o) => o.text)
            .join('');
        expect(join('insert')).toBe(before);
        expect(join('delete')).toBe(after);
      }),
    );
  });

  it('marks a reworded phrase and leaves the rest equal', () => {
    const ops = wordDiff(
      'Fees should not be charged to workers.',
      'Recruitment fees should never be charged to migrant workers.',
    );
    expect(ops.filter((o) => o.op === 'delete').map((o) => o.text.trim())).toEqual(['Fees', 'not']);
    expect(ops.filter((o) => o.op === 'insert').map((o) => o.text.trim())).toEqual([
      'Recruitment',
      'fees',
      'never',
      'migrant',
    ]);
    expect(diffStats(ops)).toEqual({ insertedWords: 4, deletedWords: 2 });
  });

  it('escapes the text in its HTML, so a quoted tag is shown and never run', () => {
    const html = diffHtml(wordDiff('use <b>', 'use <script>alert(1)</script> & more'));
    // Once the diff's own tags are taken out, no markup is left: every < of the text is escaped.
    expect(html.replace(/<\/?(ins|del)>/g, '')).not.toMatch(/[<>]/);
    expect(html).toContain('&amp;');
    // Leaving out what was deleted gives the new text, escaped.
    expect(html.replace(/<del>.*?<\/del>/g, '').replace(/<\/?ins>/g, '')).toBe(
      'use &lt;script&gt;alert(1)&lt;/script&gt; &amp; more',
    );
  });
});

describe('bounded diff', () => {
  const rebuild = (ops: { op: string; text: string }[], skip: string) =>
    ops
      .filter((o) => o.op !== skip)
      .map((o) => o.text)
      .join('');

  it('gives a line diff for texts beyond the word limit, still rebuilding both', () => {
    const before = 'one line\nsecond line\nthird line\n';
    const after = 'one line\nsecond row\nthird line\n';
    const { granularity, operations } = boundedDiff(before, after, {
      passMs: 1_000,
      wordLimit: 10,
    });
    expect(granularity).toBe('line');
    expect(operations).toContainEqual({ op: 'insert', text: 'second row\n' });
    expect(rebuild(operations, 'insert')).toBe(before);
    expect(rebuild(operations, 'delete')).toBe(after);
  });

  it('falls back to one replacement when even lines cannot be compared in time', () => {
    const lines = (seed: number) =>
      Array.from({ length: 4_000 }, (_, i) => ((i * seed * 2_654_435_761) >>> 0).toString(36)).join(
        '\n',
      );
    const { granularity, operations } = boundedDiff(lines(7), lines(13), {
      passMs: 0,
      wordLimit: 0,
    });
    expect(granularity).toBe('paragraph');
    expect(operations).toEqual([
      { op: 'delete', text: lines(7) },
      { op: 'insert', text: lines(13) },
    ]);
  });

  it('answers the word diff for an ordinary revision', () => {
    expect(boundedDiff('fees are paid', 'no fees are paid').granularity).toBe('word');
  });
});
