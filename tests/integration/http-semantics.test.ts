import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { storedGuideline } from '../helpers/factories.js';
import type { Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// RFC 9110 as SPEC section 7 has it: conditional requests, 405 with Allow, caches told what varies,
// and Location headers that lead somewhere.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const submit = (id: string, as: User, ifMatch: string) =>
  call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
    as,
    body: { type: 'SUBMIT' },
    headers: { 'if-match': ifMatch },
  });

describe('If-Match', () => {
  it('answers a stale version 412 with the current one in the problem document and the ETag', async () => {
    const { id } = await r.newGuideline();
    const stale = await submit(id, r.owner, '"7"');
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"1"');
    expect(await stale.json()).toMatchObject({
      code: 'precondition_failed',
      currentVersion: 1,
    });
    expect(await storedGuideline(t.db, id)).toMatchObject({ version: 1, state: 'drafting' });
  });

  it('compares strongly: a weak tag of the current version does not match', async () => {
    const { id } = await r.newGuideline();
    const weak = await submit(id, r.owner, 'W/"1"');
    expect(weak.status).toBe(412);
    expect(await weak.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 1 });
    expect(await storedGuideline(t.db, id)).toMatchObject({ version: 1, state: 'drafting' });
  });

  it('takes * for whatever version is current, and a list that names the current one', async () => {
    const { id } = await r.newGuideline();
    expect((await submit(id, r.owner, '*')).status).toBe(200);
    expect(await storedGuideline(t.db, id)).toMatchObject({ version: 2 });
    const text = await call(api, 'PUT', `/api/v1/guidelines/${id}/text`, {
      as: r.owner,
      body: { text: 'Reworded.' },
      headers: { 'if-match': '*' },
    });
    // * passes the precondition; the state still decides.
    expect(text.status).toBe(422);
    const { id: other } = await r.newGuideline();
    expect((await submit(other, r.owner, 'W/"1", "1"')).status).toBe(200);
  });

  it('refuses a header that is no entity tag at all with 400', async () => {
    const { id } = await r.newGuideline();
    for (const header of ['1', '"1', '"1" "2"', 'W/1', '**']) {
      const answer = await submit(id, r.owner, header);
      expect(answer.status, header).toBe(400);
    }
    expect(await storedGuideline(t.db, id)).toMatchObject({ version: 1 });
  });
});

describe('methods a route does not have', () => {
  it('answers 405 with Allow drawn from the endpoint table', async () => {
    const { id } = await r.newGuideline();
    const remove = await call(api, 'DELETE', `/api/v1/guidelines/${id}`, { as: r.owner });
    expect(remove.status).toBe(405);
    expect(remove.headers.get('allow')).toBe('GET, HEAD');
    expect(await remove.json()).toMatchObject({ code: 'method_not_allowed' });
    const patch = await call(api, 'PATCH', '/api/v1/gb-sessions', { as: r.secretariat, body: {} });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await storedGuideline(t.db, id)).toMatchObject({ version: 1 });
  });

  it('still answers 404 for a path no route has', async () => {
    expect((await call(api, 'DELETE', '/api/v1/nothing-here', { as: r.owner })).status).toBe(404);
  });
});

describe('answers that differ per caller', () => {
  it('carry Vary: Authorization and Cache-Control: private', async () => {
    for (const path of ['/api/v1/me', '/api/v1/guidelines', '/api/v1/meetings']) {
      const answer = await call(api, 'GET', path, { as: r.observer });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('vary'), path).toMatch(/\bAuthorization\b/i);
      expect(answer.headers.get('cache-control'), path).toBe('private');
    }
  });

  it('leave answers that are the same for everyone alone', async () => {
    const health = await call(api, 'GET', '/healthz');
    expect(health.headers.get('vary') ?? '').not.toMatch(/Authorization/i);
  });
});

describe('what a Location header points at', () => {
  it('serves a created Governing Body session at its Location', async () => {
    const created = await call(api, 'POST', '/api/v1/gb-sessions', {
      as: r.secretariat,
      body: {
        number: 295,
        name: '295th Session',
        startsAt: '2006-03-09T09:00:00Z',
        endsAt: '2006-03-24T18:00:00Z',
        documentDeadline: '2006-02-20T18:00:00Z',
      },
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location');
    expect(location).toMatch(/^\/api\/v1\/gb-sessions\/[0-9a-f-]{36}$/);
    const read = await call(api, 'GET', location!, { as: r.observer });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(await created.json());
    const missing = await call(
      api,
      'GET',
      '/api/v1/gb-sessions/00000000-0000-4000-8000-000000000000',
      { as: r.observer },
    );
    expect(missing.status).toBe(404);
    expect((await call(api, 'GET', '/api/v1/gb-sessions/295', { as: r.observer })).status).toBe(
      400,
    );
  });

  it('lists the framework sections a guideline may name, in their order', async () => {
    const answer = await call(api, 'GET', '/api/v1/sections', { as: r.observer });
    expect(answer.status).toBe(200);
    const { items } = (await answer.json()) as { items: { slug: string; number: number }[] };
    const stored = await t.db
      .selectFrom('framework_sections')
      .select(['slug', 'number'])
      .orderBy('number')
      .execute();
    expect(items.map((s) => [s.slug, s.number])).toEqual(stored.map((s) => [s.slug, s.number]));
    expect(items.map((s) => s.slug)).toContain('protection');
  });
});
