import { afterAll, describe, expect, it } from 'vitest';
import { boundedWork, WorkOverloaded, WorkTimedOut } from '../../src/workflow/bounded-work.js';

const work = boundedWork({ threads: 1, timeoutMs: 10_000, maxWaiting: 2 });
afterAll(() => work.close());

describe('bounded work in a worker thread', () => {
  it('runs a task in a worker thread and answers its result', async () => {
    const result = await work.run('diff', { before: 'fees are paid', after: 'no fees are paid' });
    expect(result.granularity).toBe('word');
    expect(result.operations).toContainEqual({ op: 'insert', text: 'no ' });
  });

  it('terminates a task that runs past its limit, and the next task still runs', async () => {
    await expect(work.run('spin', {}, { timeoutMs: 200 })).rejects.toBeInstanceOf(WorkTimedOut);
    const after = await work.run('relocateAnchors', {
      text: 'First.\n\nSecond paragraph.',
      anchors: [{ paragraph: 1, exact: 'Second' }],
    });
    expect(after).toEqual([{ status: 'relocated', paragraph: 2 }]);
  });

  it('refuses work beyond what may wait, instead of queueing it without end', async () => {
    const running = work.run('spin', {}, { timeoutMs: 500 });
    const queued = [
      work.run('diff', { before: 'a', after: 'b' }),
      work.run('diff', { before: 'a', after: 'c' }),
    ];
    await expect(work.run('diff', { before: 'a', after: 'd' })).rejects.toBeInstanceOf(
      WorkOverloaded,
    );
    await expect(running).rejects.toBeInstanceOf(WorkTimedOut);
    expect((await Promise.all(queued)).map((d) => d.granularity)).toEqual(['word', 'word']);
  });
});
