import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { insertUser, storedVersion } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const draft = (title: string) => ({ title, section: 'protection', text: 'One paragraph.' });
const countTitled = async (title: string) =>
  (await t.db.selectFrom('guidelines').select('id').where('title', '=', title).execute()).length;
const create = (as: User, title: string, key: string) =>
  call(api, 'POST', '/api/v1/guidelines', {
    as,
    body: draft(title),
    headers: { 'idempotency-key': key },
  });

describe('Idempotency-Key', () => {
  it('answers a retried create with the first answer and creates one guideline', async () => {
    const first = await create(r.owner, 'Retried', 'key-create-1');
    const again = await create(r.owner, 'Retried', 'key-create-1');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await again.json()).toEqual(await first.json());
    expect(await countTitled('Retried')).toBe(1);
  });

  it('refuses the same key with another body (422) and creates nothing', async () => {
    await create(r.owner, 'Keyed once', 'key-create-2');
    const other = await create(r.owner, 'Keyed twice', 'key-create-2');
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ code: 'idempotency_key_reused' });
    expect(await countTitled('Keyed twice')).toBe(0);
  });

  it("keeps each user's keys apart", async () => {
    await create(r.owner, 'Owner keyed', 'shared-key');
    const theirs = await create(r.otherDrafter, 'Other keyed', 'shared-key');
    expect(theirs.status).toBe(201);
    expect(await countTitled('Other keyed')).toBe(1);
  });

  it('replays an applied event instead of answering the retry with a stale-version conflict', async () => {
    const { id } = await r.newGuideline();
    const submit = () =>
      call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
        as: r.owner,
        body: { type: 'SUBMIT' },
        headers: { 'if-match': '"1"', 'idempotency-key': `submit-${id}` },
      });
    const first = await submit();
    const retry = await submit();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ state: 'secretariat_check', version: 2 });
    expect(await storedVersion(t.db, id)).toBe(2);
    // Without the key, the same retry is a failed precondition, as it should be.
    const bare = await call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
      as: r.owner,
      body: { type: 'SUBMIT' },
      headers: { 'if-match': '"1"' },
    });
    expect(bare.status).toBe(412);
  });

  it('gives concurrent requests with one key one effect: each answer is the created guideline or 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => create(r.owner, 'Raced', 'key-raced')),
    );
    const created = new Set<string>();
    for (const answer of answers) {
      expect([201, 409]).toContain(answer.status);
      if (answer.status === 201) created.add(((await answer.json()) as { id: string }).id);
    }
    expect(created.size).toBe(1);
    expect(await countTitled('Raced')).toBe(1);
  });

  it('refuses a malformed key', async () => {
    const response = await create(r.owner, 'Bad key', 'x'.repeat(300));
    expect(response.status).toBe(400);
    expect(await countTitled('Bad key')).toBe(0);
  });
});

describe('headers and request ids', () => {
  it('sets the security headers and a request id on every answer, and echoes a sane caller id', async () => {
    const response = await call(api, 'GET', '/healthz', {
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('strict-transport-security')).toContain('max-age');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const made = await call(api, 'GET', '/healthz', {
      headers: { 'x-request-id': 'bad id\twith tab' },
    });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends exactly the headers helmet itself sends, though it asks helmet only once', async () => {
    // Helmet on a bare Node server, as the yardstick.
    const server = createServer((req, res) => helmet()(req, res, () => res.end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const bare = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const ours = await call(api, 'GET', '/api/v1/workflow');
      const ignored = new Set(['connection', 'content-length', 'date', 'keep-alive']);
      const helmetHeaders = [...bare.headers].filter(([name]) => !ignored.has(name));
      expect(helmetHeaders.length).toBeGreaterThan(10);
      for (const [name, value] of helmetHeaders) {
        expect(ours.headers.get(name), name).toBe(value);
      }
    } finally {
      server.close();
    }
  });

  it('puts the request id in problem documents, so a user can quote it', async () => {
    const response = await call(api, 'GET', '/api/v1/me', {
      headers: { 'x-request-id': 'ask-about-this' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      code: 'unauthenticated',
      requestId: 'ask-about-this',
    });
  });

  it('sends no CORS headers unless origins are configured, and only the configured ones', async () => {
    const plain = await call(api, 'GET', '/healthz', {
      headers: { origin: 'https://app.example.org' },
    });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const open = await startApi(t.db, {
      http: { corsOrigins: ['https://app.example.org'], trustProxy: false },
    });
    try {
      const allowed = await call(open, 'OPTIONS', '/api/v1/guidelines', {
        headers: {
          origin: 'https://app.example.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,if-match',
        },
      });
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.org');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('If-Match');
      const other = await call(open, 'GET', '/healthz', {
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await open.close();
    }
  });

  it('believes X-Forwarded-For only from a configured proxy, for the sign-in throttle', async () => {
    const addresses = async () =>
      (
        await t.db
          .selectFrom('login_throttle')
          .select('key')
          .where('key', 'like', 'address:%')
          .execute()
      ).map((k) => k.key);
    const attempt = (target: { url: string }) =>
      call(target, 'POST', '/api/v1/auth/login', {
        body: { email: 'nobody@example.org', password: 'wrong password' },
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
    expect((await attempt(api)).status).toBe(401);
    expect(await addresses()).not.toContain('address:203.0.113.9');
    const proxied = await startApi(t.db, { http: { corsOrigins: [], trustProxy: 'loopback' } });
    try {
      expect((await attempt(proxied)).status).toBe(401);
      expect(await addresses()).toContain('address:203.0.113.9');
    } finally {
      await proxied.close();
    }
  });
});

describe('the API document', () => {
  it('serves OpenAPI 3.1 with every route of the contract, each signed-in one documenting its 401', async () => {
    const response = await call(api, 'GET', '/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          { operationId: string; responses: Record<string, unknown>; security?: unknown[] }
        >
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    const contract = [
      'post /api/v1/auth/login',
      'get /api/v1/me',
      'get /api/v1/users',
      'post /api/v1/users',
      'patch /api/v1/users/{id}',
      'get /api/v1/meetings',
      'post /api/v1/meetings',
      'get /api/v1/meetings/{id}',
      'put /api/v1/meetings/{id}/members',
      'get /api/v1/gb-sessions',
      'post /api/v1/gb-sessions',
      'get /api/v1/gb-sessions/{id}',
      'get /api/v1/sections',
      'get /api/v1/guidelines',
      'post /api/v1/guidelines',
      'get /api/v1/guidelines/{id}',
      'put /api/v1/guidelines/{id}/text',
      'post /api/v1/guidelines/{id}/events',
      'get /api/v1/guidelines/{id}/revisions',
      'get /api/v1/guidelines/{id}/revisions/{n}',
      'get /api/v1/guidelines/{id}/diff',
      'get /api/v1/guidelines/{id}/history',
      'get /api/v1/workflow',
      'get /api/v1/workflow.mmd',
      'get /api/v1/audit/verify',
      'get /healthz',
      'get /readyz',
    ];
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(documented).toEqual(expect.arrayContaining(contract));
    const operationIds = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op.operationId),
    );
    expect(new Set(operationIds).size).toBe(operationIds.length);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const isPublic = Array.isArray(op.security) && op.security.length === 0;
        expect(Boolean(op.responses['401']), `${method} ${path}`).toBe(
          !isPublic || path.endsWith('/login'),
        );
      }
    }
  });

  it('serves interactive docs from this process, with no outside address', async () => {
    const page = await call(api, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain(
      "style-src 'self' 'unsafe-inline'",
    );
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const response = await call(api, 'GET', asset[1] as string);
      expect(response.status, asset[1]).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it('answers an unknown route with a problem document', async () => {
    const response = await call(api, 'GET', '/api/v1/nothing-here', { as: r.owner });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

it('leaves a consultation to experts even through the API', async () => {
  const { id } = await r.newGuideline();
  await openConsultation(r, id);
  const expert = await insertUser(t.db, { role: 'expert', group: 'workers' });
  const response = await call(api, 'GET', `/api/v1/guidelines/${id}`, { as: expert });
  expect(response.status).toBe(200);
});
