import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { bearer, problemOf, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

interface Inbox {
  items: { id: string; kind: string; guidelineId: string; title: string; readAt: string | null }[];
  nextCursor: string | null;
  unread: number;
}
const inbox = async (user: User, query = '') => {
  const response = await fetch(`${api.url}/api/v1/notifications${query}`, {
    headers: bearer(user),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Inbox;
};
const post = (path: string, user: User) =>
  fetch(`${api.url}${path}`, { method: 'POST', headers: bearer(user) });

describe('the inbox', () => {
  it('shows an expert the consultation that opened, pages it, and marks it read once', async () => {
    const expert = r.experts.workers[1] as User;
    const before = (await inbox(expert)).unread;
    const opened: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { id } = await r.newGuideline();
      await openConsultation(r, id);
      opened.push(id);
    }
    const all = await inbox(expert, '?unread=true&limit=200');
    expect(all.unread).toBe(before + 3);
    const consultations = all.items.filter((n) => opened.includes(n.guidelineId));
    expect(consultations.map((n) => n.kind)).toEqual(Array(3).fill('guideline.accept_for_review'));
    // Newest first, and the pages together list each notification once.
    expect(consultations.map((n) => n.guidelineId)).toEqual([...opened].reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await inbox(expert, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(all.items.length);

    const first = consultations[0]!;
    const read = await post(`/api/v1/notifications/${first.id}/read`, expert);
    expect(read.status).toBe(200);
    const { readAt } = (await read.json()) as { readAt: string };
    const again = (await (await post(`/api/v1/notifications/${first.id}/read`, expert)).json()) as {
      readAt: string;
    };
    expect(again.readAt).toBe(readAt);
    const unread = await inbox(expert, '?unread=true&limit=200');
    expect(unread.unread).toBe(before + 2);
    expect(unread.items.map((n) => n.id)).not.toContain(first.id);
  });

  it('never shows or lets anyone mark another person’s notification', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const owner = await inbox(r.owner, '?limit=200');
    const mine = owner.items.find((n) => n.guidelineId === id);
    expect(mine).toBeDefined();
    const other = r.experts.employers[1] as User;
    expect((await inbox(other, '?limit=200')).items.map((n) => n.id)).not.toContain(mine!.id);
    const refused = await post(`/api/v1/notifications/${mine!.id}/read`, other);
    expect(refused.status).toBe(404);
    expect(await problemOf(refused)).toMatchObject({ code: 'not_found' });
    const row = await t.db
      .selectFrom('notifications')
      .select('read_at')
      .where('id', '=', mine!.id)
      .executeTakeFirstOrThrow();
    expect(row.read_at).toBeNull();
  });

  it('marks everything read at once and says how many', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const expert = r.experts.government[0] as User;
    const unread = (await inbox(expert)).unread;
    expect(unread).toBeGreaterThan(0);
    const done = await post('/api/v1/notifications/read-all', expert);
    expect(await done.json()).toEqual({ marked: unread });
    expect((await inbox(expert)).unread).toBe(0);
    // Someone else's stay unread.
    expect((await inbox(r.experts.government[1] as User)).unread).toBeGreaterThan(0);
  });
});
