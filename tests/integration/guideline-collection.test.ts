import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { maySeeGuideline } from '../../src/domain/visibility.js';
import { bearer, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { insertUser } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const headers = (user: User, extra: Record<string, string> = {}) => ({
  ...bearer(user),
  'content-type': 'application/json',
  ...extra,
});
const create = (user: User, body: unknown) =>
  fetch(`${api.url}/api/v1/guidelines`, {
    method: 'POST',
    headers: headers(user),
    body: JSON.stringify(body),
  });
const list = (user: User, query = '') =>
  fetch(`${api.url}/api/v1/guidelines${query}`, { headers: headers(user) });
const putText = (id: string, user: User, body: unknown, ifMatch?: string) =>
  fetch(`${api.url}/api/v1/guidelines/${id}/text`, {
    method: 'PUT',
    headers: headers(user, ifMatch ? { 'if-match': ifMatch } : {}),
    body: JSON.stringify(body),
  });

type Page = { items: { id: string; state: string }[]; nextCursor: string | null };
async function everything(user: User, query = '', limit = 3) {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const sep: string = query ? '&' : '?';
    const response = await list(
      user,
      `${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(response.status).toBe(200);
    const page = (await response.json()) as Page;
    ids.push(...page.items.map((i) => i.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('POST /api/v1/guidelines', () => {
  it('a drafter creates a draft they own, answered with 201, Location and ETag', async () => {
    const response = await create(r.owner, {
      title: 'Recruitment fees',
      section: 'migration-process',
      text: 'No fees should be charged to workers.',
      references: ['C181'],
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string };
    expect(response.headers.get('location')).toBe(`/api/v1/guidelines/${body.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(body).toMatchObject({
      state: 'drafting',
      section: 'migration-process',
      ownerId: r.owner.id,
      references: ['C181'],
    });
    const audit = await t.db
      .selectFrom('audit_entries')
      .select('event_type')
      .where('guideline_id', '=', body.id)
      .execute();
    expect(audit).toEqual([{ event_type: 'CREATE' }]);
  });

  it('only drafters create, in known sections, and nobody chooses the owner or the state', async () => {
    const valid = { title: 'T', section: 'protection', text: 'x' };
    for (const user of [r.secretariat, r.observer, r.spokesperson('government')]) {
      expect((await create(user, valid)).status).toBe(403);
    }
    const unknown = await create(r.owner, { ...valid, section: 'space-law' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ errors: [{ path: 'body.section' }] });
    for (const extra of [{ ownerId: r.otherDrafter.id }, { state: 'approved' }]) {
      expect((await create(r.owner, { ...valid, ...extra })).status).toBe(400);
    }
  });
});

describe('GET /api/v1/guidelines', () => {
  it('lists exactly the guidelines each caller may see (the same rule as a single guideline)', async () => {
    const mine = await r.newGuideline();
    const theirs = await (async () => {
      const other = await insertUser(t.db, { role: 'drafter' });
      const response = await create(other, {
        title: 'Their draft',
        section: 'protection',
        text: 'x',
      });
      return (await response.json()) as { id: string };
    })();
    const reviewed = await r.newGuideline();
    await openConsultation(r, reviewed.id);
    const all = await t.db
      .selectFrom('guidelines')
      .select(['id', 'owner_id', 'snapshot'])
      .execute();
    for (const user of [
      r.owner,
      r.otherDrafter,
      r.spokesperson('workers'),
      r.observer,
      r.secretariat,
    ]) {
      const expected = all
        .filter((g) =>
          maySeeGuideline(user, {
            ownerId: g.owner_id,
            consultedRound: Number(
              (g.snapshot as { context: { consultedRound: number } }).context.consultedRound,
            ),
          }),
        )
        .map((g) => g.id)
        .sort();
      expect((await everything(user)).sort(), user.role).toEqual(expected);
    }
    expect(await everything(r.owner)).toContain(mine.id);
    expect(await everything(r.owner)).not.toContain(theirs.id);
    expect(await everything(r.observer)).toEqual([reviewed.id]);
  });

  it('pages newest first without gaps or repeats, even when many share a timestamp', async () => {
    // The review's clock is frozen: these five share one created_at, so only the id orders them.
    for (let i = 0; i < 5; i++) await r.newGuideline();
    const whole = (await (await list(r.secretariat, '?limit=100')).json()) as Page;
    expect(whole.items.length).toBeGreaterThanOrEqual(5);
    expect(await everything(r.secretariat, '', 2)).toEqual(whole.items.map((i) => i.id));
    const inConsultation = await everything(r.secretariat, '?state=consultation', 1);
    expect(inConsultation.length).toBe(
      whole.items.filter((i) => i.state === 'consultation').length,
    );
  });

  it('refuses a cursor it did not give out, a limit out of range and an unknown filter', async () => {
    for (const query of ['?cursor=abc', '?limit=0', '?limit=101', '?state=archived', '?owner=me']) {
      const response = await list(r.secretariat, query);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'validation_failed' });
    }
  });
});

describe('PUT /api/v1/guidelines/:id/text', () => {
  it('the owner edits the working text with the current ETag; the edit is a new, audited version', async () => {
    const { id } = await r.newGuideline();
    const response = await putText(
      id,
      r.owner,
      { text: 'New paragraph one.\n\nNew paragraph two.', title: 'Renamed' },
      '"1"',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(await response.json()).toMatchObject({
      title: 'Renamed',
      text: 'New paragraph one.\n\nNew paragraph two.',
      version: 2,
    });
    const audit = await t.db
      .selectFrom('audit_entries')
      .select('event_type')
      .where('guideline_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.event_type)).toEqual(['CREATE', 'EDIT_TEXT']);
  });

  it('refuses others, a stale or missing ETag, and a submitted text — changing nothing', async () => {
    const { id } = await r.newGuideline();
    expect((await putText(id, r.otherDrafter, { text: 'x' }, '"1"')).status).toBe(404);
    expect((await putText(id, r.secretariat, { text: 'x' }, '"1"')).status).toBe(403);
    expect((await putText(id, r.owner, { text: 'x' })).status).toBe(428);
    expect((await putText(id, r.owner, { text: 'x' }, '"7"')).status).toBe(412);
    await r.act(id, { type: 'SUBMIT' }, r.owner);
    const locked = await putText(id, r.owner, { text: 'x' }, '"2"');
    expect(locked.status).toBe(422);
    expect(await locked.json()).toMatchObject({
      detail: 'the text can be edited only in drafting or revision, not in secretariat_check',
    });
    const row = await t.db
      .selectFrom('guidelines')
      .select(['version', 'text'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(row.text).not.toBe('x');
  });
});
