import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { actorOf } from '../../src/domain/permissions.js';
import { editText } from '../../src/workflow/edit-text.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { storedVersion } from '../helpers/factories.js';
import { openConsultation, type Review, statePositions } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const json = async <T>(response: Response) => {
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};
const version = (id: string) => storedVersion(t.db, id);

/** A guideline taken through one round and resubmitted with a reworded first paragraph. */
async function twoRevisions() {
  const { id } = await r.newGuideline(
    'Governments should license recruitment agencies.\n\nFees should not be charged to workers.',
  );
  await openConsultation(r, id);
  await statePositions(r, id);
  await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
  await r.act(
    id,
    { type: 'REQUEST_REVISION', instructions: 'Name the conventions.' },
    r.secretariat,
  );
  await editText(
    r,
    id,
    {
      text: 'Governments should license and supervise private recruitment agencies, as C181 provides.\n\nFees should not be charged to workers.',
    },
    actorOf(r.owner),
    await version(id),
  );
  await r.act(id, { type: 'RESUBMIT' }, r.owner);
  return id;
}

describe('revisions and diffs', () => {
  it('lists the frozen revisions and shows each with its text', async () => {
    const id = await twoRevisions();
    const list = await json<{ items: { number: number; round: number }[] }>(
      await call(api, 'GET', `/api/v1/guidelines/${id}/revisions`, { as: r.observer }),
    );
    expect(list.items.map((v) => [v.number, v.round])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const second = await json<{ text: string; references: string[] }>(
      await call(api, 'GET', `/api/v1/guidelines/${id}/revisions/2`, {
        as: r.spokesperson('workers'),
      }),
    );
    expect(second.text).toContain('supervise private recruitment agencies');
    expect(second.references).toEqual(['C181']);
    expect(
      (await call(api, 'GET', `/api/v1/guidelines/${id}/revisions/3`, { as: r.observer })).status,
    ).toBe(404);
  });

  it('gives a word-level diff as operations and as HTML', async () => {
    const id = await twoRevisions();
    const diff = await json<{
      operations: { op: string; text: string }[];
      html: string;
      stats: { insertedWords: number; deletedWords: number };
    }>(await call(api, 'GET', `/api/v1/guidelines/${id}/diff?from=1&to=2`, { as: r.observer }));
    const rebuilt = (skip: string) =>
      diff.operations
        .filter((o) => o.op !== skip)
        .map((o) => o.text)
        .join('');
    const [one, two] = await Promise.all(
      [1, 2].map(async (n) =>
        t.db
          .selectFrom('revisions')
          .select('text')
          .where('guideline_id', '=', id)
          .where('number', '=', n)
          .executeTakeFirstOrThrow(),
      ),
    );
    expect(rebuilt('insert')).toBe(one?.text);
    expect(rebuilt('delete')).toBe(two?.text);
    expect(diff.html).toContain('<ins>');
    expect(diff.html).toContain('supervise');
    expect(diff.stats.insertedWords).toBeGreaterThanOrEqual(6);
    expect(
      diff.operations
        .filter((o) => o.op !== 'equal')
        .map((o) => o.text)
        .join(' '),
    ).not.toContain('Fees');
  });

  it('refuses a diff without both revision numbers, and hides drafts from other drafters', async () => {
    const id = await twoRevisions();
    expect(
      (await call(api, 'GET', `/api/v1/guidelines/${id}/diff?from=1`, { as: r.observer })).status,
    ).toBe(400);
    const { id: draft } = await r.newGuideline();
    await r.act(draft, { type: 'SUBMIT' }, r.owner);
    for (const path of ['revisions', 'revisions/1', 'diff?from=1&to=1', 'history']) {
      const response = await call(api, 'GET', `/api/v1/guidelines/${draft}/${path}`, {
        as: r.otherDrafter,
      });
      expect(response.status).toBe(404);
    }
    expect(
      (await call(api, 'GET', `/api/v1/guidelines/${draft}/revisions/1`, { as: r.owner })).status,
    ).toBe(200);
  });
});

describe('history', () => {
  type Entry = {
    seq: number;
    event: string;
    actorId: string | null;
    payload: Record<string, unknown>;
  };
  const history = async (id: string, as: User) =>
    (
      await json<{ items: Entry[] }>(
        await call(api, 'GET', `/api/v1/guidelines/${id}/history`, { as }),
      )
    ).items;

  it('shows every accepted event in order with its hash chain', async () => {
    const id = await twoRevisions();
    const entries = await history(id, r.observer);
    expect(entries.map((e) => e.event)).toEqual([
      'CREATE',
      'SUBMIT',
      'ACCEPT_FOR_REVIEW',
      'SUBMIT_POSITION',
      'SUBMIT_POSITION',
      'SUBMIT_POSITION',
      'CLOSE_CONSULTATION',
      'REQUEST_REVISION',
      'EDIT_TEXT',
      'RESUBMIT',
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('pages with a cursor', async () => {
    const id = await twoRevisions();
    const first = await json<{ items: Entry[]; nextCursor: string }>(
      await call(api, 'GET', `/api/v1/guidelines/${id}/history?limit=3`, { as: r.secretariat }),
    );
    const second = await json<{ items: Entry[]; nextCursor: string | null }>(
      await call(
        api,
        'GET',
        `/api/v1/guidelines/${id}/history?limit=10&cursor=${first.nextCursor}`,
        { as: r.secretariat },
      ),
    );
    expect([...first.items, ...second.items].map((e) => e.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('keeps a position sealed from the other groups and the drafter until all three are in', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const statement = 'Employers support licensing with a light touch.';
    await r.act(
      id,
      { type: 'SUBMIT_POSITION', stance: 'support', statement },
      r.spokesperson('employers'),
    );
    const position = (entries: Entry[]) => entries.find((e) => e.event === 'SUBMIT_POSITION');
    for (const reader of [
      r.spokesperson('workers'),
      r.experts.government[1]!,
      r.owner,
      r.observer,
    ]) {
      const entries = await history(id, reader);
      expect(position(entries)?.payload).toEqual({ sealed: true });
      expect(JSON.stringify(entries)).not.toContain(statement);
    }
    for (const reader of [r.experts.employers[1]!, r.secretariat]) {
      expect(position(await history(id, reader))?.payload).toMatchObject({ statement });
    }
    await r.act(
      id,
      { type: 'SUBMIT_POSITION', stance: 'oppose', statement: 'No.' },
      r.spokesperson('workers'),
    );
    expect(position(await history(id, r.owner))?.payload).toEqual({ sealed: true });
    await r.act(
      id,
      { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Yes.' },
      r.spokesperson('government'),
    );
    expect(position(await history(id, r.owner))?.payload).toMatchObject({ statement });
  });

  it('unseals the positions when the consultation closes with a group missing', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const statement = 'Workers want fees banned outright.';
    await r.act(
      id,
      { type: 'SUBMIT_POSITION', stance: 'support_with_reservations', statement },
      r.spokesperson('workers'),
    );
    expect(JSON.stringify(await history(id, r.observer))).not.toContain(statement);
    // The last test of the file: the review's clock passes the consultation deadline.
    r.clock.advance(30 * 24 * 3600);
    await r.act(id, { type: 'CONSULTATION_DEADLINE' }, 'system');
    expect(JSON.stringify(await history(id, r.observer))).toContain(statement);
  });
});
