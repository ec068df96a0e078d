import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { bearer, call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// Each kind of malformed input the hostile review found, by name: a 400, 413 or 415 problem
// document naming the field, and nothing stored.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const count = async (table: 'guidelines' | 'meetings' | 'gb_sessions' | 'comments') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const counts = async () => ({
  guidelines: await count('guidelines'),
  meetings: await count('meetings'),
  sessions: await count('gb_sessions'),
  comments: await count('comments'),
});

async function refused(answer: Response, status: number, path?: string) {
  const text = await answer.text();
  expect(answer.status, text).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(text) as { errors?: { path: string }[] };
  if (path) expect(problem.errors?.map((e) => e.path)).toContain(path);
}

const session = (overrides: Record<string, unknown>) => ({
  number: 400,
  name: 'Session',
  startsAt: '2006-03-01T09:00:00Z',
  endsAt: '2006-03-20T09:00:00Z',
  documentDeadline: '2006-03-05T09:00:00Z',
  ...overrides,
});
const meeting = (overrides: Record<string, unknown>) => ({
  name: 'Meeting',
  startsAt: '2006-01-01T09:00:00Z',
  endsAt: '2006-01-02T09:00:00Z',
  ...overrides,
});
const draft = (overrides: Record<string, unknown>) => ({
  title: 'Title',
  section: 'protection',
  text: 'Text.',
  ...overrides,
});

describe('malformed input', () => {
  it('refuses integers beyond PostgreSQL’s range in bodies and query strings', async () => {
    const before = await counts();
    await refused(
      await call(api, 'POST', '/api/v1/gb-sessions', {
        as: r.secretariat,
        body: session({ number: 2 ** 31 }),
      }),
      400,
      'body.number',
    );
    await refused(
      await call(api, 'GET', '/api/v1/guidelines?limit=99999999999999999999', { as: r.owner }),
      400,
      'query.limit',
    );
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    await refused(
      await call(api, 'GET', `/api/v1/guidelines/${id}/comments?paragraph=2147483648`, {
        as: r.observer,
      }),
      400,
      'query.paragraph',
    );
    await refused(
      await call(api, 'POST', `/api/v1/guidelines/${id}/comments`, {
        as: r.observer,
        body: { body: 'Cite C181.', anchor: { paragraph: 2 ** 40, exact: 'Text' } },
      }),
      400,
      'body.anchor.paragraph',
    );
    expect(await counts()).toEqual({ ...before, guidelines: before.guidelines + 1 });
  });

  it('refuses NUL bytes and lone surrogates in text fields', async () => {
    const before = await counts();
    await refused(
      await call(api, 'POST', '/api/v1/guidelines', {
        as: r.owner,
        body: draft({ title: 'Nul\u0000title' }),
      }),
      400,
      'body.title',
    );
    await refused(
      await call(api, 'POST', '/api/v1/guidelines', {
        as: r.owner,
        body: draft({ text: 'half a pair \ud83d here' }),
      }),
      400,
      'body.text',
    );
    await refused(
      await call(api, 'GET', '/api/v1/guidelines?section=prot%00ection', { as: r.owner }),
      400,
      'query.section',
    );
    expect(await counts()).toEqual(before);
  });

  it('refuses a path that is not valid percent-encoding', async () => {
    for (const path of ['/api/v1/guidelines/%E0%A4%A', '/api/v1/meetings/%', '/api/v1/users/%ZZ']) {
      await refused(await call(api, 'GET', path, { as: r.secretariat }), 400);
    }
  });

  it('refuses an unsupported charset or Content-Encoding with 415, and a body that does not inflate with 400', async () => {
    const before = await counts();
    const post = (headers: Record<string, string>, body: string | Uint8Array) =>
      fetch(`${api.url}/api/v1/guidelines`, {
        method: 'POST',
        headers: { ...bearer(r.owner), ...headers },
        body: body as BodyInit,
      });
    const json = JSON.stringify(draft({}));
    await refused(await post({ 'content-type': 'application/json; charset=latin1' }, json), 415);
    await refused(
      await post({ 'content-type': 'application/json', 'content-encoding': 'x-compress' }, json),
      415,
    );
    await refused(
      await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, json),
      400,
    );
    // A body that is gzip indeed is read.
    const gzipped = await post(
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      gzipSync(JSON.stringify(draft({ title: 'Compressed' }))),
    );
    expect(gzipped.status).toBe(201);
    expect(await counts()).toEqual({ ...before, guidelines: before.guidelines + 1 });
  });

  it('refuses deeply nested JSON before parsing it, with or without an Idempotency-Key', async () => {
    const before = await counts();
    for (const headers of [{}, { 'idempotency-key': 'deep-1' }] as Record<string, string>[]) {
      const answer = await fetch(`${api.url}/api/v1/guidelines`, {
        method: 'POST',
        headers: { ...bearer(r.owner), 'content-type': 'application/json', ...headers },
        body: `{"title":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      });
      await refused(answer, 400);
    }
    const keys = await t.db.selectFrom('idempotency_keys').select('key').execute();
    expect(keys.map((k) => k.key)).not.toContain('deep-1');
    expect(await counts()).toEqual(before);
  });

  it('refuses meeting values the database cannot keep: a quorum that rounds to zero, year 0', async () => {
    const before = await counts();
    const create = (body: unknown, as: User = r.secretariat) =>
      call(api, 'POST', '/api/v1/meetings', { as, body });
    await refused(await create(meeting({ quorum: 0.0001 })), 400, 'body.quorum');
    await refused(await create(meeting({ quorum: 5e-324 })), 400, 'body.quorum');
    await refused(
      await create(meeting({ startsAt: '0000-01-01T00:00:00Z' })),
      400,
      'body.startsAt',
    );
    await refused(
      await call(api, 'POST', '/api/v1/gb-sessions', {
        as: r.secretariat,
        body: session({ documentDeadline: '0000-12-31T00:00:00Z' }),
      }),
      400,
      'body.documentDeadline',
    );
    expect(await counts()).toEqual(before);
  });
});
