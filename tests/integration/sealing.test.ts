import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import type { Group } from '../../src/domain/vocabulary.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { insertUser } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// Sealing is decided by the position's own group and the reader's membership of the guideline's
// meeting (issue 11 item 5), the same way on every route that shows a position.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

type PositionJson = { group: Group; sealed: boolean; statement: string | null };
type Entry = { event: string; payload: Record<string, unknown> };

/** Everything a reader can read of a guideline that could carry a position, as one text. */
async function whatReaderSees(id: string, as: User) {
  const texts: string[] = [];
  for (const path of ['', '/positions', '/history', '/comments']) {
    const response = await call(api, 'GET', `/api/v1/guidelines/${id}${path}`, { as });
    expect(response.status, path).toBe(200);
    texts.push(await response.text());
  }
  return texts.join('\n');
}

const positions = async (id: string, as: User) => {
  const response = await call(api, 'GET', `/api/v1/guidelines/${id}/positions`, { as });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: PositionJson[] }).items;
};
const history = async (id: string, as: User) => {
  const response = await call(api, 'GET', `/api/v1/guidelines/${id}/history`, { as });
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Entry[] }).items;
};
const statePosition = (id: string, as: User, statement: string) =>
  call(api, 'POST', `/api/v1/guidelines/${id}/positions`, {
    as,
    body: { stance: 'support_with_reservations', statement },
  });
const moveTo = async (user: User, group: Group, spokesperson: boolean) => {
  const response = await call(api, 'PATCH', `/api/v1/users/${user.id}`, {
    as: r.secretariat,
    body: { group, spokesperson },
  });
  expect(response.status).toBe(200);
};

describe('a sealed position', () => {
  it('is hidden from an expert of the same group who does not sit on the meeting', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const statement = 'Employers accept licensing if the fees stay modest.';
    expect((await statePosition(id, r.spokesperson('employers'), statement)).status).toBe(201);

    // An employers' expert, active, but not a member of the meeting reviewing this guideline.
    const outsider = await insertUser(t.db, { role: 'expert', group: 'employers' });
    expect(await positions(id, outsider)).toEqual([
      expect.objectContaining({ group: 'employers', sealed: true, statement: null }),
    ]);
    expect(
      (await history(id, outsider)).find((e) => e.event === 'SUBMIT_POSITION')?.payload,
    ).toEqual({ sealed: true });
    expect(await whatReaderSees(id, outsider)).not.toContain(statement);

    // A member of the same group does see it, and so does the secretariat.
    for (const reader of [r.experts.employers[1] as User, r.secretariat]) {
      expect((await positions(id, reader))[0]).toMatchObject({ statement });
      expect(await whatReaderSees(id, reader)).toContain(statement);
    }
  });

  it('stays with the group it was stated for when its author moves to another group', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const statement = 'Employers want a register of agencies, not a ban.';
    const mover = r.spokesperson('employers');
    expect((await statePosition(id, mover, statement)).status).toBe(201);

    // The spokesperson moves to the workers and is made their spokesperson too.
    await moveTo(mover, 'workers', true);
    const moved = { ...mover, group: 'workers' as const };
    try {
      // One person does not speak for two groups in one round.
      const second = await statePosition(id, moved, 'Workers now say the opposite.');
      expect(second.status).toBe(422);
      expect(await second.json()).toMatchObject({
        code: 'not_allowed_now',
        event: 'SUBMIT_POSITION',
        detail: expect.stringContaining('one person speaks for one group per round'),
      });
      const stored = await t.db
        .selectFrom('positions')
        .select(['group', 'submitted_by'])
        .where('guideline_id', '=', id)
        .execute();
      expect(stored).toEqual([{ group: 'employers', submitted_by: mover.id }]);

      // The workers, the mover's group now, still do not see what was said for the employers.
      for (const reader of [r.spokesperson('workers'), r.experts.workers[1] as User]) {
        expect(await whatReaderSees(id, reader)).not.toContain(statement);
        const entry = (await history(id, reader)).find((e) => e.event === 'SUBMIT_POSITION');
        expect(entry?.payload).toEqual({ sealed: true });
      }
      // The employers still do.
      expect(await whatReaderSees(id, r.experts.employers[1] as User)).toContain(statement);
    } finally {
      await moveTo(moved, 'employers', true);
    }
  });

  it('is refused through the events route as well when its author already spoke for another group', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const mover = r.spokesperson('government');
    expect((await statePosition(id, mover, 'Governments will license.')).status).toBe(201);
    await moveTo(mover, 'workers', true);
    try {
      const current = await call(api, 'GET', `/api/v1/guidelines/${id}`, { as: r.secretariat });
      const etag = current.headers.get('etag') as string;
      const refused = await call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
        as: mover,
        headers: { 'if-match': etag },
        body: { type: 'SUBMIT_POSITION', stance: 'oppose', statement: 'Workers oppose.' },
      });
      expect(refused.status).toBe(422);
      const after = await call(api, 'GET', `/api/v1/guidelines/${id}`, { as: r.secretariat });
      expect(after.headers.get('etag')).toBe(etag);
    } finally {
      await moveTo(mover, 'government', true);
    }
  });
});
