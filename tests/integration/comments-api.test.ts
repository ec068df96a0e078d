import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { actorOf } from '../../src/domain/permissions.js';
import { groups } from '../../src/domain/vocabulary.js';
import { editText } from '../../src/workflow/edit-text.js';
import { call, type TestApi } from '../helpers/api.js';
import { describeOnPostgres, needsPostgres, type TestDatabase } from '../helpers/database.js';
import { storedVersion } from '../helpers/factories.js';
import { openConsultation, type Review, setUpReview, statePositions } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const text = [
  'Governments should license private recruitment agencies.',
  'No fees should be charged to migrant workers for recruitment.',
  'Contracts should be in a language the worker understands.',
].join('\n\n');

type CommentJson = {
  id: string;
  authorGroup: string | null;
  anchorStatus: string | null;
  currentParagraph: number | null;
  disposition: string | null;
};

const comment = (id: string, as: User, body: unknown) =>
  call(api, 'POST', `/api/v1/guidelines/${id}/comments`, { as, body });
const list = async (id: string, as: User, query = '') => {
  const response = await call(api, 'GET', `/api/v1/guidelines/${id}/comments${query}`, { as });
  expect(response.status).toBe(200);
  return (await response.json()) as { items: CommentJson[]; nextCursor: string | null };
};
const stored = (id: string) =>
  t.db.selectFrom('comments').selectAll().where('guideline_id', '=', id).execute();
const version = (id: string) => storedVersion(t.db, id);

async function toRevision(id: string) {
  await statePositions(r, id);
  await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
  await r.act(
    id,
    { type: 'REQUEST_REVISION', instructions: 'Answer the comments.' },
    r.secretariat,
  );
}

describe('comments', () => {
  it('takes an anchored comment from an expert in consultation and records role and group', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    const expert = r.experts.employers[1] as User;
    const response = await comment(id, expert, {
      body: 'Fees include deposits and deductions.',
      anchor: { paragraph: 2, exact: 'No fees', suffix: ' should be charged' },
      proposedText: 'No fees or related costs should be charged to migrant workers.',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      revision: 1,
      round: 1,
      authorRole: 'expert',
      authorGroup: 'employers',
      anchor: { paragraph: 2, exact: 'No fees' },
      anchorStatus: 'anchored',
      currentParagraph: 2,
      disposition: null,
    });
  });

  it('refuses a quote that is not in the paragraph named (422) and stores nothing', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    const response = await comment(id, r.observer, {
      body: 'x',
      anchor: { paragraph: 1, exact: 'No fees' },
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      code: 'anchor_not_found',
      detail: 'paragraph 1 does not contain the quoted text (revision 1)',
    });
    expect(await stored(id)).toEqual([]);
  });

  it('takes comments only from experts and observers of the meeting, and only in consultation', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    for (const who of [r.owner, r.otherDrafter, r.secretariat]) {
      expect((await comment(id, who, { body: 'x' })).status).toBe(403);
    }
    const outsider = (await setUpReview(t.db)).spokesperson('workers');
    expect((await comment(id, outsider, { body: 'x' })).status).toBe(403);
    await toRevision(id);
    const late = await comment(id, r.observer, { body: 'x' });
    expect(late.status).toBe(422);
    expect(await stored(id)).toEqual([]);
  });

  it('threads replies from participants during the review, not from outsiders or after it', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    const root = (await (await comment(id, r.observer, { body: 'Cite C181.' })).json()) as {
      id: string;
    };
    const reply = (as: User) =>
      call(api, 'POST', `/api/v1/comments/${root.id}/replies`, { as, body: { body: 'Agreed.' } });
    expect((await reply(r.owner)).status).toBe(201);
    expect((await reply(r.spokesperson('government'))).status).toBe(201);
    expect((await reply(r.otherDrafter)).status).toBe(403);
    const thread = await list(id, r.observer, `?parent=${root.id}`);
    expect(thread.items).toHaveLength(2);
    expect(
      (
        await call(api, 'POST', '/api/v1/comments/00000000-0000-4000-8000-000000000000/replies', {
          as: r.owner,
          body: { body: 'x' },
        })
      ).status,
    ).toBe(404);
  });

  it('lists with filters by group, paragraph and disposition, a page at a time', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    for (const [who, paragraph] of [
      [r.experts.government[1], 1],
      [r.experts.workers[1], 2],
      [r.experts.workers[0], 2],
      [r.observer, 3],
    ] as const) {
      const exact = (text.split('\n\n')[paragraph - 1] as string).slice(0, 12);
      expect(
        (await comment(id, who as User, { body: 'Note.', anchor: { paragraph, exact } })).status,
      ).toBe(201);
    }
    expect((await list(id, r.owner, '?group=workers')).items).toHaveLength(2);
    expect((await list(id, r.owner, '?paragraph=2')).items).toHaveLength(2);
    expect((await list(id, r.owner, '?disposition=none')).items).toHaveLength(4);
    const first = await list(id, r.owner, '?limit=3');
    const rest = await list(id, r.owner, `?limit=3&cursor=${first.nextCursor}`);
    expect([...first.items, ...rest.items].map((c) => c.id)).toEqual(
      (await stored(id))
        .sort((a, b) => +a.created_at - +b.created_at || a.id.localeCompare(b.id))
        .map((c) => c.id),
    );
    expect(rest.nextCursor).toBeNull();
  });
});

describe('dispositions and the next revision', () => {
  it('needs a disposition for every comment before resubmission, then re-locates the anchors', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    const made = [];
    for (const [paragraph, exact] of [
      [1, 'license private recruitment agencies'],
      [2, 'No fees should be charged'],
      [3, 'a language the worker understands'],
    ] as const) {
      const response = await comment(id, r.observer, {
        body: 'See here.',
        anchor: { paragraph, exact },
      });
      made.push(((await response.json()) as { id: string }).id);
    }
    await toRevision(id);
    const dispose = (commentId: string, body: unknown, as: User = r.owner) =>
      call(api, 'PUT', `/api/v1/comments/${commentId}/disposition`, { as, body });
    expect((await dispose(made[0] as string, { disposition: 'not_accepted' })).status).toBe(400);
    expect(
      (await dispose(made[0] as string, { disposition: 'accepted' }, r.secretariat)).status,
    ).toBe(403);
    const accepted = await dispose(made[0] as string, { disposition: 'accepted' });
    expect(await accepted.json()).toMatchObject({ disposition: 'accepted' });

    // Paragraph 1 reworded (its quote gone), 2 moved to the end, 3 kept.
    await editText(
      r,
      id,
      {
        text: [
          'Governments should regulate and supervise every recruitment agency.',
          'Contracts should be in a language the worker understands.',
          'No fees should be charged to migrant workers for recruitment.',
        ].join('\n\n'),
      },
      actorOf(r.owner),
      await version(id),
    );
    const early = await call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
      as: r.owner,
      body: { type: 'RESUBMIT' },
      headers: { 'if-match': `"${await version(id)}"` },
    });
    expect(early.status).toBe(422);
    expect(((await early.json()) as { detail: string }).detail).toBe(
      '2 comments of round 1 still have no disposition',
    );
    await dispose(made[1] as string, {
      disposition: 'partially_accepted',
      note: 'Deposits named.',
    });
    await dispose(made[2] as string, { disposition: 'not_accepted', note: 'Out of scope.' });
    const table = (await (
      await call(api, 'GET', `/api/v1/guidelines/${id}/dispositions`, {
        as: r.spokesperson('employers'),
      })
    ).json()) as {
      items: { paragraph: number; disposition: string; note: string | null }[];
    };
    expect(table.items.map((row) => [row.paragraph, row.disposition, row.note])).toEqual([
      [1, 'accepted', null],
      [2, 'partially_accepted', 'Deposits named.'],
      [3, 'not_accepted', 'Out of scope.'],
    ]);
    const resubmit = await call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
      as: r.owner,
      body: { type: 'RESUBMIT' },
      headers: { 'if-match': `"${await version(id)}"` },
    });
    expect(resubmit.status).toBe(200);
    const after = await list(id, r.observer);
    const where = new Map(after.items.map((c) => [c.id, [c.anchorStatus, c.currentParagraph]]));
    expect(made.map((commentId) => where.get(commentId))).toEqual([
      ['orphaned', 1],
      ['relocated', 3],
      ['relocated', 2],
    ]);
    expect((await list(id, r.observer, '?orphaned=true')).items.map((c) => c.id)).toEqual([
      made[0],
    ]);
    // A comment of round 1 takes no new disposition in round 2.
    expect((await dispose(made[0] as string, { disposition: 'noted' })).status).toBe(422);
    const trail = await t.db
      .selectFrom('audit_entries')
      .select('event_type')
      .where('guideline_id', '=', id)
      .execute();
    expect(trail.filter((e) => e.event_type === 'DISPOSE_COMMENT')).toHaveLength(3);
  });
});

describe('comments after the guideline moved on', () => {
  it('go on the new revision after resubmission and are refused while it is out of consultation', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    // The first comment on round 1 teaches the server which revision is under consultation.
    const first = (await (
      await comment(id, r.observer, {
        body: 'On round 1.',
        anchor: { paragraph: 2, exact: 'No fees' },
      })
    ).json()) as { id: string };
    expect(first).toMatchObject({ revision: 1, round: 1 });
    await toRevision(id);
    const closed = await comment(id, r.observer, { body: 'Too late.' });
    expect(closed.status).toBe(422);
    expect(await closed.json()).toMatchObject({ code: 'not_allowed_now' });
    await call(api, 'PUT', `/api/v1/comments/${first.id}/disposition`, {
      as: r.owner,
      body: { disposition: 'noted' },
    });
    await editText(
      r,
      id,
      { text: 'Recruitment agencies should be licensed.\n\nWorkers pay no recruitment fees.' },
      actorOf(r.owner),
      await version(id),
    );
    await r.act(id, { type: 'RESUBMIT' }, r.owner);
    const stale = await comment(id, r.observer, {
      body: 'Old words.',
      anchor: { paragraph: 2, exact: 'No fees' },
    });
    expect(stale.status).toBe(422);
    expect(await stale.json()).toMatchObject({
      detail: 'paragraph 2 does not contain the quoted text (revision 2)',
    });
    const fresh = await comment(id, r.observer, {
      body: 'New words.',
      anchor: { paragraph: 2, exact: 'no recruitment fees' },
    });
    expect(fresh.status).toBe(201);
    expect(await fresh.json()).toMatchObject({ revision: 2, round: 2 });
    const plain = await comment(id, r.experts.workers[1] as User, { body: 'No anchor.' });
    expect(await plain.json()).toMatchObject({ revision: 2, round: 2 });
  });
});

describeOnPostgres(`comments racing the close of the consultation (${needsPostgres})`, () => {
  it('stores exactly the comments it acknowledged, none after the close', async () => {
    const { id } = await r.newGuideline(text);
    await openConsultation(r, id);
    for (const g of groups) {
      await r.act(
        id,
        { type: 'SUBMIT_POSITION', stance: 'support', statement: 'Yes.' },
        r.spokesperson(g),
      );
    }
    const writers = [r.observer, ...groups.flatMap((g) => r.experts[g])];
    const posts = Array.from({ length: 60 }, (_, n) =>
      comment(id, writers[n % writers.length] as User, { body: `Remark ${n}.` }),
    );
    const close = r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
    const answers = await Promise.all(posts);
    await close;
    const statuses = answers.map((a) => a.status);
    for (const status of statuses) expect([201, 422]).toContain(status);
    expect((await stored(id)).length).toBe(statuses.filter((s) => s === 201).length);
    expect((await comment(id, r.observer, { body: 'Too late.' })).status).toBe(422);
  });
});
