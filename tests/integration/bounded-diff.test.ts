import { describe, expect, it } from 'vitest';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import type { Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

/** ~20k characters of words that two seeds make unrelated: the word diff's worst case. */
const unrelatedWords = (seed: number) =>
  Array.from({ length: 3_000 }, (_, i) => ((i * seed * 2_654_435_761) >>> 0).toString(36)).join(
    ' ',
  );

async function hostileRevisions(): Promise<string> {
  const { id } = await r.newGuideline();
  const before = unrelatedWords(7);
  const after = unrelatedWords(13);
  for (const [number, text] of [
    [1, before],
    [2, after],
  ] as const) {
    await t.db
      .insertInto('revisions')
      .values({
        guideline_id: id,
        number,
        round: number,
        title: 'Hostile',
        text,
        references: '[]',
        created_by: r.owner.id,
      })
      .execute();
  }
  return id;
}

describe('a diff too expensive for the event loop', () => {
  it('keeps /healthz answering while it is computed, and answers a coarser diff within its bound', async () => {
    const id = await hostileRevisions();
    let diffSettled = false;
    const diff = call(api, 'GET', `/api/v1/guidelines/${id}/diff?from=1&to=2`, {
      as: r.owner,
    }).finally(() => {
      diffSettled = true;
    });
    // Wait until the diff is being worked on, then ask for liveness in the middle of it.
    while (api.deps.textWork.busy() === 0) await new Promise((resolve) => setImmediate(resolve));
    const health = await fetch(`${api.url}/healthz`);
    expect(health.status).toBe(200);
    expect(api.deps.textWork.busy()).toBe(1);
    expect(diffSettled).toBe(false);

    const answer = await diff;
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as {
      granularity: string;
      operations: { op: string; text: string }[];
    };
    expect(body.granularity).not.toBe('word');
    const rebuilt = (skip: string) =>
      body.operations
        .filter((o) => o.op !== skip)
        .map((o) => o.text)
        .join('');
    expect(rebuilt('insert')).toBe(unrelatedWords(7));
    expect(rebuilt('delete')).toBe(unrelatedWords(13));
  });

  it('keeps /healthz answering while a dossier with such a guideline is built, and its annex says how it compared', async () => {
    const id = await hostileRevisions();
    await t.db
      .updateTable('guidelines')
      .set({ state: 'submitted_to_gb', gb_session_id: r.gbSessionId, text: unrelatedWords(13) })
      .where('id', '=', id)
      .execute();
    const queued = await call(api, 'POST', `/api/v1/gb-sessions/${r.gbSessionId}/dossier`, {
      as: r.secretariat,
      body: { symbol: 'GB.1/X/1' },
      headers: { prefer: 'respond-async' },
    });
    expect(queued.status).toBe(202);
    while (api.deps.textWork.busy() === 0) await new Promise((resolve) => setImmediate(resolve));
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect(api.deps.textWork.busy()).toBe(1);

    const location = queued.headers.get('location')!;
    let job: { status: string } = { status: 'queued' };
    while (job.status === 'queued' || job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await (await call(api, 'GET', location, { as: r.secretariat })).json();
    }
    expect(job.status).toBe('succeeded');
    const paper = await (
      await call(api, 'GET', `/api/v1/gb-sessions/${r.gbSessionId}/dossier.md`, { as: r.owner })
    ).text();
    expect(paper).toContain('Revision 2 against revision 1: the texts differ throughout');
  });
});
