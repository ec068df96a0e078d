import fc from 'fast-check';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { endpoints } from '../../src/api/app.js';
import type { Endpoint } from '../../src/api/endpoint.js';
import type { User } from '../../src/db/schema.js';
import { createStreamHub, type StreamHub } from '../../src/notifications/stream/hub.js';
import {
  pgliteStreamSource,
  postgresStreamSource,
} from '../../src/notifications/stream/sources.js';
import { postComment } from '../../src/workflow/comments.js';
import { bearer, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { openConsultation, type Review, setUpReview } from '../helpers/review.js';

// Every route of the endpoint table gets generated hostile requests: values PostgreSQL cannot
// store or that no field accepts, in path segments, query strings, bodies and headers. None may be
// answered 500 (a 500 is a defect), and none may change anything stored.

let t: TestDatabase;
let api: TestApi;
let hub: StreamHub;
let r: Review;
let table: Endpoint[];
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await freshDatabase();
  // With the live stream running, as in the server: a stream that opens is a stream, not a 503.
  const silent = pino({ level: 'silent' });
  const source =
    t.target.kind === 'postgres'
      ? postgresStreamSource(t.target.url, silent)
      : pgliteStreamSource(t.pglite!);
  hub = createStreamHub({ db: t.db, source, logger: silent, heartbeatMs: 60_000 });
  await hub.start();
  api = await startApi(t.db, { stream: { hub } });
  r = await setUpReview(t.db);
  table = endpoints(api.deps);
  const { id } = await r.newGuideline();
  await openConsultation(r, id);
  ids.guidelines = id;
  ids.comments = (await postComment(r, id, r.observer, { body: 'Cite C181.' })).id;
  ids.meetings = r.meetingId;
  ids['gb-sessions'] = r.gbSessionId;
  ids.users = r.observer.id;
});
afterAll(async () => {
  await hub?.stop();
  await api?.close(500);
  await t?.close();
});

/** Every stored row, table by table, as a count and a digest. */
async function footprint(): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(t.db);
  const out: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const { rows } = await sql<{ n: number; digest: string }>`
      select count(*)::int as n,
             md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as digest
        from ${sql.table(name)} as x`.execute(t.db);
    out[name] = `${rows[0]?.n}:${rows[0]?.digest}`;
  }
  return out;
}

// Values no field of the API accepts.
const hostileScalar = fc.constantFrom<unknown>(
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  2 ** 53 + 2,
  1e308,
  -1e308,
  5e-324,
  'nul\u0000byte',
  'lone \ud800 surrogate',
  '\udfff',
  '0000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '99999999999999999999',
  'x'.repeat(300_000),
  { $gt: '' },
  [[[[[[[[[[]]]]]]]]]],
);
const benign = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, 1, 0.5, '', 'text', 'protection', '2005-11-01T09:00:00Z'),
  fc.uuid(),
  fc.string({ maxLength: 20 }),
);

/** Field names of every body schema in the table, so hostile values reach real fields. */
function bodyFields(all: readonly Endpoint[]): string[] {
  const names = new Set<string>(['type', 'id', '__proto__', 'constructor']);
  const walk = (schema: unknown) => {
    if (!schema || typeof schema !== 'object') return;
    const s = schema as Record<string, unknown>;
    if (s.properties && typeof s.properties === 'object') {
      for (const [k, v] of Object.entries(s.properties)) {
        names.add(k);
        walk(v);
      }
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      if (Array.isArray(s[key])) for (const part of s[key]) walk(part);
    }
  };
  for (const e of all) {
    if (e.body) walk(z.toJSONSchema(e.body, { io: 'input', unrepresentable: 'any' }));
  }
  return [...names];
}

const hostileSegments = [
  '%',
  '%ZZ',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  '%00',
  '99999999999999999999',
  '-1',
  '0',
  '1e400',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-000000000000',
  "1' or '1'='1",
];
const hostileQueryValues = [
  '99999999999999999999',
  '2147483648',
  '-9223372036854775809',
  '1e400',
  '%00',
  '%ED%A0%80',
  '%',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'AAAA',
  '',
];
const queryKeys = [
  'limit',
  'cursor',
  'from',
  'to',
  'state',
  'section',
  'meeting',
  'group',
  'paragraph',
  'round',
  'disposition',
  'orphaned',
  'parent',
  'unread',
];

const deepJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

function hostileRequest(e: Endpoint, fields: readonly string[]): fc.Arbitrary<HostileRequest> {
  const params = [...e.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? '');
  const resource = e.path.split('/')[3] ?? '';
  const realParam = (name: string) => (name === 'n' ? '1' : (ids[resource] ?? ids.guidelines!));
  const segment = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant(realParam(name)) },
      { weight: 3, arbitrary: fc.constantFrom(...hostileSegments) },
    );
  const query = fc.dictionary(
    fc.constantFrom(...queryKeys),
    fc.constantFrom(...hostileQueryValues),
    { maxKeys: 3 },
  );
  const hostileObject = fc
    .tuple(
      fc.dictionary(fc.constantFrom(...fields), fc.oneof(benign, hostileScalar), { maxKeys: 4 }),
      fc.constantFrom(...fields),
      hostileScalar,
    )
    .map(([rest, key, value]) => JSON.stringify({ ...rest, [key]: value }));
  const body = fc.oneof(
    { weight: 6, arbitrary: hostileObject },
    { weight: 1, arbitrary: fc.constantFrom(deepJson(50_000), deepObject(5_000), deepJson(200)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{"a":', '{"a":1}}', '"\\ud800"', 'null', '[]', '1e999'),
    },
  );
  const caller = fc.constantFrom<User | string | null>(
    r.owner,
    r.secretariat,
    r.observer,
    r.spokesperson('workers'),
    'Bearer not.a.token',
    `Bearer ${'a'.repeat(8_000)}`,
    'Basic dXNlcjpwYXNz',
    'Bearer',
    null,
  );
  const requestId = fc.constantFrom(undefined, '../../etc/passwd', 'x'.repeat(2_000), '%00');
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=x-unknown',
    'text/plain',
    'application/x-www-form-urlencoded',
  );
  const contentEncoding = fc.constantFrom(
    undefined,
    undefined,
    undefined,
    'gzip',
    'deflate',
    'br',
    'x-unknown',
  );
  const ifMatch = fc.constantFrom(
    undefined,
    '"1"',
    '*',
    'W/"1"',
    '"99999999999999999999"',
    '"',
    '%00',
  );
  const idempotencyKey = fc.constantFrom(undefined, 'k-1', 'x'.repeat(300), 'é');
  return fc
    .record({
      segments: fc.tuple(...params.map(segment)),
      query,
      body,
      caller,
      contentType,
      contentEncoding,
      ifMatch,
      idempotencyKey,
      requestId,
      otherMethod: fc.boolean(),
    })
    .map((g) => {
      let path = e.path;
      params.forEach((name, i) => {
        path = path.replace(`:${name}`, g.segments[i] ?? '');
      });
      const search = Object.entries(g.query)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const headers: Record<string, string> = {};
      if (typeof g.caller === 'string') headers.authorization = g.caller;
      else if (g.caller) Object.assign(headers, bearer(g.caller));
      if (g.requestId) headers['x-request-id'] = g.requestId;
      if (g.ifMatch) headers['if-match'] = g.ifMatch;
      if (g.idempotencyKey) headers['idempotency-key'] = g.idempotencyKey;
      const method = g.otherMethod && e.method === 'get' ? 'DELETE' : e.method.toUpperCase();
      const request: HostileRequest = {
        method,
        path: search ? `${path}?${search}` : path,
        headers,
      };
      if (method !== 'GET') {
        headers['content-type'] = g.contentType;
        if (g.contentEncoding) headers['content-encoding'] = g.contentEncoding;
        request.body = g.body;
      }
      return request;
    });
}

const runsPerRoute = 50;

describe('hostile input to every route', () => {
  it('is never answered 500 and never changes what is stored', async () => {
    const fields = bodyFields(table);
    for (const e of table) {
      const before = await footprint();
      // A state-changing route without a body could legitimately act on a benign request.
      const mustNotChange = e.method === 'get' || e.body !== undefined;
      await fc.assert(
        fc.asyncProperty(hostileRequest(e, fields), async (request) => {
          const reading = new AbortController();
          const answer = await fetch(`${api.url}${request.path}`, {
            method: request.method,
            headers: request.headers,
            signal: reading.signal,
            ...(request.body !== undefined ? { body: request.body as BodyInit } : {}),
          });
          // A stream that opened runs until the reader leaves: its answer is its status.
          const streaming = answer.headers.get('content-type')?.startsWith('text/event-stream');
          if (streaming) reading.abort();
          const text = streaming ? '' : await answer.text();
          const where = `${request.method} ${request.path.slice(0, 200)} → ${answer.status} ${text.slice(0, 300)}`;
          expect(answer.status, where).toBeLessThan(500);
          if (answer.status >= 400 && request.method !== 'HEAD') {
            expect(answer.headers.get('content-type'), where).toMatch(
              /^application\/problem\+json/,
            );
          }
        }),
        { numRuns: runsPerRoute, endOnFailure: true },
      );
      if (mustNotChange) expect(await footprint(), `${e.method} ${e.path}`).toEqual(before);
    }
    // Thousands of requests in one sweep: about 6 s alone, past 30 s on a loaded two-core machine.
  }, 240_000);
});
