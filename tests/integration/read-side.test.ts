import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { call, problemOf, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { insertRevision, storedGuideline } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// Smaller reads: one comment by the address its Location gives, and the meeting bodies' quorum.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

describe('one comment', () => {
  it('is where the Location of a posted comment and of a reply points', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const expert = r.experts.workers[1] as User;
    const posted = await call(api, 'POST', `/api/v1/guidelines/${id}/comments`, {
      as: expert,
      body: { body: 'Name the fees that are banned.' },
    });
    expect(posted.status).toBe(201);
    const location = posted.headers.get('location') as string;
    const made = (await posted.json()) as { id: string };
    expect(location).toBe(`/api/v1/comments/${made.id}`);
    for (const reader of [r.owner, r.otherDrafter, r.observer, r.secretariat]) {
      const read = await call(api, 'GET', location, { as: reader });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({
        id: made.id,
        guidelineId: id,
        body: 'Name the fees that are banned.',
        authorGroup: 'workers',
      });
    }
    const replied = await call(api, 'POST', `${location}/replies`, {
      as: r.owner,
      body: { body: 'They will be listed in paragraph 2.' },
    });
    expect(replied.status).toBe(201);
    const reply = await call(api, 'GET', replied.headers.get('location') as string, {
      as: expert,
    });
    expect(await reply.json()).toMatchObject({ parentId: made.id });
  });

  it('is not found for a comment on a guideline the reader may not see, nor for none', async () => {
    // A draft, which only its owner and the secretariat see, with a comment row on it.
    const { id } = await r.newGuideline();
    const revision = await insertRevision(t.db, await storedGuideline(t.db, id));
    const hidden = await t.db
      .insertInto('comments')
      .values({
        guideline_id: id,
        revision_id: revision.id,
        round: 1,
        author_id: r.secretariat.id,
        author_role: 'secretariat',
        body: 'A note on a draft.',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await call(api, 'GET', `/api/v1/comments/${hidden.id}`, { as: r.owner })).status).toBe(
      200,
    );
    for (const reader of [r.otherDrafter, r.observer, r.experts.government[0] as User]) {
      const refused = await call(api, 'GET', `/api/v1/comments/${hidden.id}`, { as: reader });
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain('A note on a draft');
    }
    const none = await call(api, 'GET', `/api/v1/comments/${randomUUID()}`, { as: r.owner });
    expect(none.status).toBe(404);
    expect((await call(api, 'GET', '/api/v1/comments/not-an-id', { as: r.owner })).status).toBe(
      400,
    );
  });
});

describe('a meeting’s quorum', () => {
  it('is refused, naming the field, when it would round to zero', async () => {
    const meetings = () =>
      t.db.selectFrom('meetings').select((eb) => eb.fn.countAll<number>().as('n'));
    const before = Number((await meetings().executeTakeFirstOrThrow()).n);
    const body = {
      name: 'Too small a quorum',
      startsAt: '2005-10-31T08:00:00Z',
      endsAt: '2005-11-02T17:00:00Z',
      quorum: 0.0004,
    };
    const created = await call(api, 'POST', '/api/v1/meetings', { as: r.secretariat, body });
    expect(created.status).toBe(400);
    const problem = await problemOf(created);
    expect(problem.errors).toEqual([
      { path: 'body.quorum', message: expect.stringContaining('0.001') },
    ]);
    const changed = await call(api, 'PATCH', `/api/v1/meetings/${r.meetingId}`, {
      as: r.secretariat,
      body: { quorum: 0.0002 },
    });
    expect(changed.status).toBe(400);
    expect((await problemOf(changed)).errors).toEqual([
      { path: 'body.quorum', message: expect.stringContaining('0.001') },
    ]);
    expect(Number((await meetings().executeTakeFirstOrThrow()).n)).toBe(before);
    const meeting = await t.db
      .selectFrom('meetings')
      .select('quorum')
      .where('id', '=', r.meetingId)
      .executeTakeFirstOrThrow();
    expect(Number(meeting.quorum)).toBe(0.5);
  });
});
