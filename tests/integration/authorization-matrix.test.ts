import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../src/api/app.js';
import type { User } from '../../src/db/schema.js';
import { type Group, groups } from '../../src/domain/vocabulary.js';
import { postComment } from '../../src/workflow/comments.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertMeeting, insertUser, storedVersion, testPassword } from '../helpers/factories.js';
import { openConsultation, type Review, setUpReview, statePositions } from '../helpers/review.js';

// Every route × every kind of caller, from one table. A route added to the API without a row here
// fails the first test.

const kinds = [
  'owner',
  'otherDrafter',
  ...groups.map((g) => `expert:${g}` as const),
  ...groups.map((g) => `spokesperson:${g}` as const),
  'observer',
  'secretariat',
  'deactivated',
  'anonymous',
] as const;
type Kind = (typeof kinds)[number];

interface Cell {
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}
interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  /** What the row is about, when one route has several rows. */
  situation?: string;
  /** Builds the request afresh for each caller (a fresh guideline where the request changes one). */
  cell: (kind: Kind, caller: User | null) => Promise<Cell> | Cell;
  /** Expected status per kind; `others` for the kinds not named. */
  expect: Partial<Record<Kind, number>> & { others: number };
  /** Public routes answer without a token, so a deactivated user's token is not even read. */
  public?: boolean;
}

let t: TestDatabase;
let api: TestApi;
let r: Review;
const callers = new Map<Kind, User | null>();
let consulting: string;
let sequence = 0;
const unique = () => ++sequence;

beforeAll(async () => {
  t = await freshDatabase();
  api = await startApi(t.db);
  r = await setUpReview(t.db);
  callers.set('owner', r.owner);
  callers.set('otherDrafter', r.otherDrafter);
  for (const g of groups) {
    callers.set(`expert:${g}`, r.experts[g][1] ?? null);
    callers.set(`spokesperson:${g}`, r.spokesperson(g));
  }
  callers.set('observer', r.observer);
  callers.set('secretariat', r.secretariat);
  callers.set(
    'deactivated',
    await insertUser(t.db, { role: 'expert', group: 'workers', active: false }),
  );
  callers.set('anonymous', null);
  consulting = (await r.newGuideline()).id;
  await openConsultation(r, consulting);
});
afterAll(async () => {
  await api.close();
  await t.close();
});

const draft = async () => (await r.newGuideline()).id;
const submitted = async () => {
  const id = await draft();
  await r.act(id, { type: 'SUBMIT' }, r.owner);
  return id;
};
const inConsultation = async () => {
  const id = await draft();
  await openConsultation(r, id);
  return id;
};
const withAllPositions = async () => {
  const id = await inConsultation();
  await statePositions(r, id);
  return id;
};
/** A guideline whose vote is open (opened once, shared by the cells that only read or vote). */
let votingId: string | undefined;
const voting = async () => {
  if (votingId) return votingId;
  const id = await withAllPositions();
  await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
  await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
  votingId = id;
  return id;
};
let closedId: string | undefined;
const votingClosed = async () => {
  if (closedId) return closedId;
  const id = await withAllPositions();
  await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
  await r.act(id, { type: 'OPEN_VOTE' }, r.secretariat);
  await r.act(id, { type: 'CLOSE_VOTE' }, r.secretariat);
  closedId = id;
  return id;
};
/** A Governing Body session of its own, with nothing in it. */
const emptySession = async () =>
  (
    await t.db
      .insertInto('gb_sessions')
      .values({
        number: 7000 + unique(),
        name: 'Session',
        starts_at: '2006-03-01T09:00:00Z',
        ends_at: '2006-03-20T09:00:00Z',
        document_deadline: '2006-03-05T09:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
/** A session whose dossier the secretariat has built once (shared by the cells that read it). */
let dossierSessionId: string | undefined;
const builtDossier = async () => {
  if (dossierSessionId) return dossierSessionId;
  const id = await emptySession();
  const built = await call(api, 'POST', `/api/v1/gb-sessions/${id}/dossier`, {
    as: r.secretariat,
    body: {},
  });
  expect(built.status).toBe(201);
  dossierSessionId = id;
  return id;
};
const dossierBuildId = async () =>
  (
    await t.db
      .selectFrom('dossier_builds')
      .select('id')
      .where('gb_session_id', '=', await builtDossier())
      .executeTakeFirstOrThrow()
  ).id;
/** A comment by the observer on a guideline in consultation; its id. */
const commentOn = async (id: string) =>
  (await postComment(r, id, r.observer, { body: 'Cite C181.' })).id;
const commentInRevision = async () => {
  const id = await withAllPositions();
  const commentId = await commentOn(id);
  await r.act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat);
  await r.act(
    id,
    { type: 'REQUEST_REVISION', instructions: 'Answer the comments.' },
    r.secretariat,
  );
  return commentId;
};
const version = async (id: string) => `"${await storedVersion(t.db, id)}"`;

const everyone = { others: 200 };
const secretariatOnly = { others: 403, secretariat: 200 };
const ownerAndSecretariat = { others: 404, owner: 200, secretariat: 200 };

/** A webhook subscription made straight in the database, for the cells that delete one. */
const subscription = async () =>
  (
    await t.db
      .insertInto('webhook_subscriptions')
      .values({
        url: 'https://hooks.example.org/in',
        secret: 'whsec_x',
        created_by: r.secretariat.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;

const rows: Row[] = [
  {
    method: 'GET',
    route: '/api/v1/clock',
    cell: () => ({ path: '/api/v1/clock' }),
    expect: { ...everyone, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/api/v1/clock/advance',
    cell: () => ({ path: '/api/v1/clock/advance', body: { seconds: 60 } }),
    // The test API runs on system time: the secretariat's request is refused as a conflict.
    expect: { others: 403, secretariat: 409, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'GET',
    route: '/api/v1/me/preferences',
    cell: () => ({ path: '/api/v1/me/preferences' }),
    expect: { ...everyone, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'PUT',
    route: '/api/v1/me/preferences',
    cell: () => ({ path: '/api/v1/me/preferences', body: { language: 'en' } }),
    expect: { ...everyone, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'GET',
    route: '/api/v1/notifications',
    cell: () => ({ path: '/api/v1/notifications?unread=true' }),
    expect: { ...everyone, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/api/v1/notifications/:id/read',
    // Nobody's notification: one's own inbox is the only one a caller can touch.
    cell: () => ({ path: `/api/v1/notifications/${randomUUID()}/read` }),
    expect: { others: 404, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/api/v1/notifications/read-all',
    cell: () => ({ path: '/api/v1/notifications/read-all' }),
    expect: { ...everyone, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'GET',
    route: '/api/v1/webhooks',
    cell: () => ({ path: '/api/v1/webhooks' }),
    expect: { ...secretariatOnly, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/api/v1/webhooks',
    cell: () => ({ path: '/api/v1/webhooks', body: { url: 'http://127.0.0.1:9/hook' } }),
    // The test API allows no private address: the secretariat's request is refused on its URL.
    expect: { others: 403, secretariat: 400, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'DELETE',
    route: '/api/v1/webhooks/:id',
    cell: async () => ({ path: `/api/v1/webhooks/${await subscription()}` }),
    expect: { others: 403, secretariat: 204, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'GET',
    route: '/api/v1/deliveries',
    cell: () => ({ path: '/api/v1/deliveries' }),
    expect: { ...secretariatOnly, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/api/v1/deliveries/:id/replay',
    cell: () => ({ path: '/api/v1/deliveries/00000000-0000-4000-8000-000000000000/replay' }),
    expect: { others: 403, secretariat: 404, deactivated: 401, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/api/v1/auth/login',
    public: true,
    cell: (_kind, caller) => ({
      path: '/api/v1/auth/login',
      body: { email: caller?.email ?? 'nobody@example.org', password: testPassword },
    }),
    expect: { others: 200, deactivated: 401, anonymous: 401 },
  },
  { method: 'GET', route: '/api/v1/me', cell: () => ({ path: '/api/v1/me' }), expect: everyone },
  {
    method: 'GET',
    route: '/api/v1/users',
    cell: () => ({ path: '/api/v1/users' }),
    expect: secretariatOnly,
  },
  {
    method: 'POST',
    route: '/api/v1/users',
    cell: () => ({
      path: '/api/v1/users',
      body: {
        email: `m${unique()}@example.org`,
        name: 'New',
        role: 'observer',
        password: 'long enough password',
      },
    }),
    expect: { others: 403, secretariat: 201 },
  },
  {
    method: 'PATCH',
    route: '/api/v1/users/:id',
    cell: async () => ({
      path: `/api/v1/users/${(await insertUser(t.db, { role: 'observer' })).id}`,
      body: { name: 'Renamed' },
    }),
    expect: secretariatOnly,
  },
  {
    method: 'GET',
    route: '/api/v1/users/:id',
    cell: async () => ({
      path: `/api/v1/users/${(await insertUser(t.db, { role: 'observer' })).id}`,
    }),
    expect: secretariatOnly,
  },
  {
    method: 'POST',
    route: '/api/v1/users/:id/sign-out',
    cell: async () => ({
      path: `/api/v1/users/${(await insertUser(t.db, { role: 'observer' })).id}/sign-out`,
    }),
    expect: secretariatOnly,
  },
  {
    method: 'GET',
    route: '/api/v1/meetings',
    cell: () => ({ path: '/api/v1/meetings' }),
    expect: everyone,
  },
  {
    method: 'POST',
    route: '/api/v1/meetings',
    cell: () => ({
      path: '/api/v1/meetings',
      body: { name: 'Meeting', startsAt: '2006-01-01T09:00:00Z', endsAt: '2006-01-02T09:00:00Z' },
    }),
    expect: { others: 403, secretariat: 201 },
  },
  {
    method: 'GET',
    route: '/api/v1/meetings/:id',
    cell: () => ({ path: `/api/v1/meetings/${r.meetingId}` }),
    expect: everyone,
  },
  {
    method: 'PATCH',
    route: '/api/v1/meetings/:id',
    cell: async () => ({
      path: `/api/v1/meetings/${(await insertMeeting(t.db)).id}`,
      body: { voteDeadline: '2005-11-02T15:00:00Z' },
    }),
    expect: secretariatOnly,
  },
  {
    method: 'PUT',
    route: '/api/v1/meetings/:id/members',
    cell: async () => ({
      path: `/api/v1/meetings/${(await insertMeeting(t.db)).id}/members`,
      body: { userIds: [r.observer.id] },
    }),
    expect: secretariatOnly,
  },
  {
    method: 'GET',
    route: '/api/v1/gb-sessions',
    cell: () => ({ path: '/api/v1/gb-sessions' }),
    expect: everyone,
  },
  {
    method: 'GET',
    route: '/api/v1/gb-sessions/:id',
    cell: () => ({ path: `/api/v1/gb-sessions/${r.gbSessionId}` }),
    expect: everyone,
  },
  {
    method: 'GET',
    route: '/api/v1/sections',
    cell: () => ({ path: '/api/v1/sections' }),
    expect: everyone,
  },
  {
    method: 'POST',
    route: '/api/v1/gb-sessions',
    cell: () => ({
      path: '/api/v1/gb-sessions',
      body: {
        number: 5000 + unique(),
        name: 'Session',
        startsAt: '2006-03-01T09:00:00Z',
        endsAt: '2006-03-20T09:00:00Z',
        documentDeadline: '2006-03-05T09:00:00Z',
      },
    }),
    expect: { others: 403, secretariat: 201 },
  },
  {
    method: 'PATCH',
    route: '/api/v1/gb-sessions/:id',
    cell: async () => ({
      path: `/api/v1/gb-sessions/${await emptySession()}`,
      body: { paper: { agendaItem: 'Fifth item on the agenda' } },
    }),
    expect: { others: 403, secretariat: 200 },
  },
  {
    method: 'POST',
    route: '/api/v1/gb-sessions/:id/dossier',
    cell: async () => ({ path: `/api/v1/gb-sessions/${await emptySession()}/dossier`, body: {} }),
    expect: { others: 403, secretariat: 201 },
  },
  {
    method: 'GET',
    route: '/api/v1/gb-sessions/:id/dossier/builds/:buildId',
    cell: async () => ({
      path: `/api/v1/gb-sessions/${await builtDossier()}/dossier/builds/${await dossierBuildId()}`,
    }),
    expect: secretariatOnly,
  },
  ...[
    '/dossier/versions',
    '/dossier.html',
    '/dossier.md',
    '/dossier.pdf',
    '/dossier/versions/:n.html',
    '/dossier/versions/:n.md',
    '/dossier/versions/:n.pdf',
    '/dossier/versions/:n/:table.csv',
    '/dossier/:table.csv',
    '/dossier/provenance',
    '/dossier/versions/:n/provenance',
  ].map(
    (tail): Row => ({
      method: 'GET',
      route: `/api/v1/gb-sessions/:id${tail}`,
      situation: 'built',
      cell: async () => ({
        path: `/api/v1/gb-sessions/${await builtDossier()}${tail.replace(':n', '1').replace(':table', 'votes')}`,
      }),
      expect: everyone,
    }),
  ),
  {
    method: 'GET',
    route: '/api/v1/guidelines',
    cell: () => ({ path: '/api/v1/guidelines' }),
    expect: everyone,
  },
  {
    method: 'POST',
    route: '/api/v1/guidelines',
    cell: () => ({
      path: '/api/v1/guidelines',
      body: { title: 'New', section: 'protection', text: 'Text.' },
    }),
    expect: { others: 403, owner: 201, otherDrafter: 201 },
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id',
    situation: 'a draft',
    cell: async () => ({ path: `/api/v1/guidelines/${await draft()}` }),
    expect: ownerAndSecretariat,
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id',
    situation: 'in consultation',
    cell: () => ({ path: `/api/v1/guidelines/${consulting}` }),
    expect: everyone,
  },
  {
    method: 'PUT',
    route: '/api/v1/guidelines/:id/text',
    situation: 'a draft',
    cell: async () => {
      const id = await draft();
      return {
        path: `/api/v1/guidelines/${id}/text`,
        body: { text: 'New text.' },
        headers: { 'if-match': await version(id) },
      };
    },
    expect: { others: 404, owner: 200, secretariat: 403 },
  },
  {
    method: 'PUT',
    route: '/api/v1/guidelines/:id/text',
    situation: 'in consultation',
    cell: async () => {
      const id = await inConsultation();
      return {
        path: `/api/v1/guidelines/${id}/text`,
        body: { text: 'New text.' },
        headers: { 'if-match': await version(id) },
      };
    },
    expect: { others: 403, owner: 422 },
  },
  {
    method: 'POST',
    route: '/api/v1/guidelines/:id/events',
    situation: 'SUBMIT a draft',
    cell: async () => ({
      path: `/api/v1/guidelines/${await draft()}/events`,
      body: { type: 'SUBMIT' },
      headers: { 'if-match': '"1"' },
    }),
    expect: { others: 404, owner: 200, secretariat: 403 },
  },
  {
    method: 'POST',
    route: '/api/v1/guidelines/:id/events',
    situation: 'SUBMIT_POSITION in consultation',
    cell: async () => {
      const id = await inConsultation();
      return {
        path: `/api/v1/guidelines/${id}/events`,
        body: { type: 'SUBMIT_POSITION', stance: 'support', statement: 'We agree.' },
        headers: { 'if-match': await version(id) },
      };
    },
    expect: {
      others: 403,
      ...(Object.fromEntries(groups.map((g: Group) => [`spokesperson:${g}`, 200])) as Record<
        Kind,
        number
      >),
    },
  },
  {
    method: 'POST',
    route: '/api/v1/guidelines/:id/events',
    situation: 'CLOSE_CONSULTATION with every position in',
    cell: async () => {
      const id = await withAllPositions();
      return {
        path: `/api/v1/guidelines/${id}/events`,
        body: { type: 'CLOSE_CONSULTATION' },
        headers: { 'if-match': await version(id) },
      };
    },
    expect: secretariatOnly,
  },
  {
    method: 'POST',
    route: '/api/v1/guidelines/:id/events',
    situation: 'ACCEPT_FOR_REVIEW a submitted draft',
    cell: async () => {
      const id = await submitted();
      return {
        path: `/api/v1/guidelines/${id}/events`,
        body: { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId },
        headers: { 'if-match': await version(id) },
      };
    },
    expect: { others: 404, owner: 403, secretariat: 200 },
  },
  ...(['revisions', 'revisions/:n', 'diff', 'history'] as const).flatMap((what): Row[] => {
    const route = `/api/v1/guidelines/:id/${what}`;
    const path = (id: string) =>
      `/api/v1/guidelines/${id}/${what === 'revisions/:n' ? 'revisions/1' : what === 'diff' ? 'diff?from=1&to=1' : what}`;
    return [
      {
        method: 'GET',
        route,
        situation: 'submitted, before consultation',
        cell: async () => ({ path: path(await submitted()) }),
        expect: ownerAndSecretariat,
      },
      {
        method: 'GET',
        route,
        situation: 'in consultation',
        cell: () => ({ path: path(consulting) }),
        expect: everyone,
      },
    ];
  }),
  {
    method: 'POST',
    route: '/api/v1/guidelines/:id/comments',
    situation: 'in consultation',
    cell: () => ({
      path: `/api/v1/guidelines/${consulting}/comments`,
      body: { body: 'A remark.' },
    }),
    expect: { others: 201, owner: 403, otherDrafter: 403, secretariat: 403 },
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id/comments',
    situation: 'a draft',
    cell: async () => ({ path: `/api/v1/guidelines/${await draft()}/comments` }),
    expect: ownerAndSecretariat,
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id/comments',
    situation: 'in consultation',
    cell: () => ({ path: `/api/v1/guidelines/${consulting}/comments` }),
    expect: everyone,
  },
  {
    method: 'GET',
    route: '/api/v1/comments/:id',
    cell: async () => ({ path: `/api/v1/comments/${await commentOn(consulting)}` }),
    expect: everyone,
  },
  {
    method: 'POST',
    route: '/api/v1/comments/:id/replies',
    situation: 'in consultation',
    cell: async () => ({
      path: `/api/v1/comments/${await commentOn(consulting)}/replies`,
      body: { body: 'Agreed.' },
    }),
    expect: { others: 201, otherDrafter: 403 },
  },
  {
    method: 'PUT',
    route: '/api/v1/comments/:id/disposition',
    situation: 'in revision',
    cell: async () => ({
      path: `/api/v1/comments/${await commentInRevision()}/disposition`,
      body: { disposition: 'noted' },
    }),
    expect: { others: 403, owner: 200 },
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id/dispositions',
    situation: 'in consultation',
    cell: () => ({ path: `/api/v1/guidelines/${consulting}/dispositions` }),
    expect: everyone,
  },
  {
    method: 'POST',
    route: '/api/v1/guidelines/:id/positions',
    situation: 'in consultation',
    cell: async () => ({
      path: `/api/v1/guidelines/${await inConsultation()}/positions`,
      body: { stance: 'support', statement: 'We agree.' },
    }),
    expect: {
      others: 403,
      ...(Object.fromEntries(groups.map((g: Group) => [`spokesperson:${g}`, 201])) as Record<
        Kind,
        number
      >),
    },
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id/positions',
    situation: 'in consultation',
    cell: () => ({ path: `/api/v1/guidelines/${consulting}/positions` }),
    expect: everyone,
  },
  {
    method: 'PUT',
    route: '/api/v1/guidelines/:id/vote',
    situation: 'a vote open',
    cell: async () => ({
      path: `/api/v1/guidelines/${await voting()}/vote`,
      body: { choice: 'yes' },
    }),
    expect: {
      others: 403,
      ...(Object.fromEntries(
        groups.flatMap((g: Group) => [
          [`spokesperson:${g}`, 200],
          [`expert:${g}`, 200],
        ]),
      ) as Record<Kind, number>),
    },
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id/tally',
    situation: 'a vote open',
    cell: async () => ({ path: `/api/v1/guidelines/${await voting()}/tally` }),
    expect: secretariatOnly,
  },
  {
    method: 'GET',
    route: '/api/v1/guidelines/:id/tally',
    situation: 'the vote closed',
    cell: async () => ({ path: `/api/v1/guidelines/${await votingClosed()}/tally` }),
    expect: everyone,
  },
  {
    method: 'GET',
    route: '/api/v1/workflow',
    cell: () => ({ path: '/api/v1/workflow' }),
    expect: everyone,
  },
  {
    method: 'GET',
    route: '/api/v1/workflow.mmd',
    cell: () => ({ path: '/api/v1/workflow.mmd' }),
    expect: everyone,
  },
  {
    method: 'GET',
    route: '/api/v1/audit/verify',
    cell: () => ({ path: '/api/v1/audit/verify' }),
    expect: secretariatOnly,
  },
  {
    method: 'GET',
    route: '/api/v1/audit/head',
    cell: () => ({ path: '/api/v1/audit/head' }),
    expect: secretariatOnly,
  },
  {
    method: 'POST',
    route: '/api/v1/stream/ticket',
    cell: () => ({ path: '/api/v1/stream/ticket' }),
    expect: { others: 201 },
  },
  {
    method: 'GET',
    route: '/api/v1/stream',
    situation: 'a malformed Last-Event-ID, so that it answers at once rather than stream',
    cell: () => ({ path: '/api/v1/stream', headers: { 'last-event-id': 'x' } }),
    expect: { others: 400 },
  },
  {
    method: 'GET',
    route: '/healthz',
    public: true,
    cell: () => ({ path: '/healthz' }),
    expect: { others: 200 },
  },
  {
    method: 'GET',
    route: '/readyz',
    public: true,
    cell: () => ({ path: '/readyz' }),
    expect: { others: 200 },
  },
];

const expected = (row: Row, kind: Kind) =>
  row.expect[kind] ??
  (!row.public && (kind === 'anonymous' || kind === 'deactivated') ? 401 : row.expect.others);

it('has a row for every route the API serves', () => {
  const served = endpoints(api.deps).map((e) => `${e.method.toUpperCase()} ${e.path}`);
  const covered = new Set(rows.map((row) => `${row.method} ${row.route}`));
  expect(served.filter((route) => !covered.has(route))).toEqual([]);
  expect([...covered].filter((route) => !served.includes(route))).toEqual([]);
});

describe('authorization matrix', () => {
  for (const row of rows) {
    it(`${row.method} ${row.route}${row.situation ? ` (${row.situation})` : ''}`, async () => {
      const wrong: string[] = [];
      for (const kind of kinds) {
        const caller = callers.get(kind) ?? null;
        const cell = await row.cell(kind, caller);
        const response = await call(api, row.method, cell.path, {
          as: caller ?? undefined,
          ...(cell.body !== undefined ? { body: cell.body } : {}),
          ...(cell.headers ? { headers: cell.headers } : {}),
        });
        await response.arrayBuffer();
        if (response.status !== expected(row, kind)) {
          wrong.push(`${kind}: expected ${expected(row, kind)}, got ${response.status}`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});
