import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertUser, testPassword } from '../helpers/factories.js';

let t: TestDatabase;
let api: TestApi;
let secretariat: User;
let drafter: User;
let expert: User;
beforeAll(async () => {
  t = await freshDatabase();
  api = await startApi(t.db);
  secretariat = await insertUser(t.db, { role: 'secretariat' });
  drafter = await insertUser(t.db, { role: 'drafter' });
  expert = await insertUser(t.db, { role: 'expert', group: 'workers' });
});
afterAll(async () => {
  await api.close();
  await t.close();
});

const userCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const trail = (chain: string) =>
  t.db.selectFrom('audit_entries').selectAll().where('chain', '=', chain).orderBy('seq').execute();

describe('users', () => {
  const newExpert = (email: string) => ({
    email,
    name: 'Ms Expert',
    role: 'expert',
    group: 'employers',
    spokesperson: true,
    password: 'a long enough password',
  });

  it('lets the secretariat create an expert who can then sign in, and records who did it', async () => {
    const response = await call(api, 'POST', '/api/v1/users', {
      as: secretariat,
      body: newExpert('New.Expert@Example.org'),
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string };
    expect(body).toMatchObject({
      email: 'new.expert@example.org',
      role: 'expert',
      group: 'employers',
      spokesperson: true,
      active: true,
    });
    expect(JSON.stringify(body)).not.toContain('password');
    expect(response.headers.get('location')).toBe(`/api/v1/users/${body.id}`);
    const login = await call(api, 'POST', '/api/v1/auth/login', {
      body: { email: 'new.expert@example.org', password: 'a long enough password' },
    });
    expect(login.status).toBe(200);
    const entries = await trail(`user:${body.id}`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ event_type: 'USER_CREATED', actor_id: secretariat.id });
    expect(JSON.stringify(entries[0]?.payload)).not.toContain('a long enough password');
  });

  it('refuses anyone but the secretariat, and changes nothing', async () => {
    const before = await userCount();
    for (const caller of [drafter, expert]) {
      const response = await call(api, 'POST', '/api/v1/users', {
        as: caller,
        body: newExpert(`x-${caller.id}@example.org`),
      });
      expect(response.status).toBe(403);
      expect((await call(api, 'GET', '/api/v1/users', { as: caller })).status).toBe(403);
    }
    expect(await userCount()).toBe(before);
  });

  it('refuses a taken e-mail with 409, and an expert without a group or a spokesperson who is not an expert with 400', async () => {
    const taken = await call(api, 'POST', '/api/v1/users', {
      as: secretariat,
      body: newExpert(drafter.email),
    });
    expect(taken.status).toBe(409);
    const before = await userCount();
    const noGroup = await call(api, 'POST', '/api/v1/users', {
      as: secretariat,
      body: { ...newExpert('nogroup@example.org'), group: undefined },
    });
    expect(noGroup.status).toBe(400);
    expect(await noGroup.json()).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body.group' }],
    });
    const drafterSpokesperson = await call(api, 'POST', '/api/v1/users', {
      as: secretariat,
      body: { ...newExpert('ds@example.org'), role: 'drafter', group: null },
    });
    expect(drafterSpokesperson.status).toBe(400);
    expect(await userCount()).toBe(before);
  });

  it('takes no unknown field: an id, a password hash or a creation date cannot be assigned', async () => {
    const response = await call(api, 'POST', '/api/v1/users', {
      as: secretariat,
      body: { ...newExpert('mass@example.org'), password_hash: 'x', id: drafter.id },
    });
    expect(response.status).toBe(400);
    expect(
      await t.db.selectFrom('users').where('email', '=', 'mass@example.org').select('id').execute(),
    ).toEqual([]);
  });

  it('deactivates a user at once: their existing token stops working', async () => {
    const someone = await insertUser(t.db, { role: 'observer' });
    expect((await call(api, 'GET', '/api/v1/me', { as: someone })).status).toBe(200);
    const response = await call(api, 'PATCH', `/api/v1/users/${someone.id}`, {
      as: secretariat,
      body: { active: false },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ active: false });
    expect((await call(api, 'GET', '/api/v1/me', { as: someone })).status).toBe(401);
    const entries = await trail(`user:${someone.id}`);
    expect(entries.at(-1)).toMatchObject({
      event_type: 'USER_UPDATED',
      payload: { active: false },
    });
  });

  it('makes an expert a drafter: the group and spokesperson flag go with the role', async () => {
    const someone = await insertUser(t.db, {
      role: 'expert',
      group: 'workers',
      spokesperson: true,
    });
    const response = await call(api, 'PATCH', `/api/v1/users/${someone.id}`, {
      as: secretariat,
      body: { role: 'drafter' },
    });
    expect(await response.json()).toMatchObject({
      role: 'drafter',
      group: null,
      spokesperson: false,
    });
  });

  it('will not demote or deactivate the last active secretariat account', async () => {
    const fresh = await freshDatabase();
    const db = fresh.db;
    const lone = await insertUser(db, { role: 'secretariat' });
    const other = await startApi(db);
    try {
      for (const body of [{ active: false }, { role: 'drafter' }]) {
        const response = await call(other, 'PATCH', `/api/v1/users/${lone.id}`, { as: lone, body });
        expect(response.status).toBe(409);
      }
      expect(
        await db
          .selectFrom('users')
          .select(['role', 'active'])
          .where('id', '=', lone.id)
          .executeTakeFirstOrThrow(),
      ).toEqual({ role: 'secretariat', active: true });
      const second = await insertUser(db, { role: 'secretariat' });
      const response = await call(other, 'PATCH', `/api/v1/users/${lone.id}`, {
        as: second,
        body: { active: false },
      });
      expect(response.status).toBe(200);
    } finally {
      await other.close();
      await fresh.close();
    }
  });

  it('lists users by role and group, a page at a time', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/users?role=expert&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await call(api, 'GET', query, { as: secretariat });
      expect(response.status).toBe(200);
      const page = (await response.json()) as {
        items: { email: string; role: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const u of page.items) expect(u.role).toBe('expert');
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor;
    } while (cursor);
    const experts = await t.db
      .selectFrom('users')
      .select('email')
      .where('role', '=', 'expert')
      .orderBy('email')
      .execute();
    expect(seen).toEqual(experts.map((e) => e.email));
    expect(
      (await call(api, 'GET', '/api/v1/users?cursor=nonsense', { as: secretariat })).status,
    ).toBe(400);
  });

  it('answers 404 for a user that does not exist', async () => {
    const response = await call(
      api,
      'PATCH',
      '/api/v1/users/00000000-0000-4000-8000-000000000000',
      {
        as: secretariat,
        body: { name: 'Nobody' },
      },
    );
    expect(response.status).toBe(404);
  });
});

describe('meetings', () => {
  const meetingBody = {
    name: 'Tripartite Meeting of Experts',
    startsAt: '2005-10-31T09:00:00+01:00',
    endsAt: '2005-11-02T18:00:00+01:00',
    votingRule: 'concurrent_majority',
    requiredMajority: 'two_thirds',
    quorum: 0.6,
    requireEachGroup: true,
    ballot: 'secret',
    maxRounds: 2,
    consultationDeadline: '2005-10-28T17:00:00Z',
  };

  it('lets the secretariat create a meeting with its rules, which anyone signed in can read', async () => {
    const created = await call(api, 'POST', '/api/v1/meetings', {
      as: secretariat,
      body: meetingBody,
    });
    expect(created.status).toBe(201);
    const meeting = (await created.json()) as { id: string };
    expect(meeting).toMatchObject({
      framework: expect.any(String),
      votingRule: 'concurrent_majority',
      requiredMajority: 'two_thirds',
      quorum: 0.6,
      ballot: 'secret',
      maxRounds: 2,
      startsAt: '2005-10-31T08:00:00.000Z',
      consultationDeadline: '2005-10-28T17:00:00.000Z',
      voteDeadline: null,
      memberIds: [],
    });
    const read = await call(api, 'GET', `/api/v1/meetings/${meeting.id}`, { as: expert });
    expect(await read.json()).toEqual(meeting);
    const list = (await (await call(api, 'GET', '/api/v1/meetings', { as: drafter })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((m) => m.id)).toContain(meeting.id);
  });

  it('fills the usual rules when they are not given', async () => {
    const response = await call(api, 'POST', '/api/v1/meetings', {
      as: secretariat,
      body: {
        name: 'Short form',
        startsAt: '2006-01-01T09:00:00Z',
        endsAt: '2006-01-02T09:00:00Z',
      },
    });
    expect(await response.json()).toMatchObject({
      votingRule: 'weighted_majority',
      requiredMajority: 'simple',
      quorum: 0.5,
      requireEachGroup: true,
      ballot: 'open',
      maxRounds: 3,
    });
  });

  it('refuses a meeting that ends before it starts, a quorum over 1, and non-secretariat callers', async () => {
    const count = async () => (await t.db.selectFrom('meetings').select('id').execute()).length;
    const before = await count();
    const backwards = await call(api, 'POST', '/api/v1/meetings', {
      as: secretariat,
      body: { ...meetingBody, endsAt: '2005-10-01T00:00:00Z' },
    });
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ errors: [{ path: 'body.endsAt' }] });
    const quorum = await call(api, 'POST', '/api/v1/meetings', {
      as: secretariat,
      body: { ...meetingBody, quorum: 1.5 },
    });
    expect(quorum.status).toBe(400);
    expect(
      (await call(api, 'POST', '/api/v1/meetings', { as: drafter, body: meetingBody })).status,
    ).toBe(403);
    expect(await count()).toBe(before);
  });

  it('sets the members to active experts and observers only, and audits who was added and removed', async () => {
    const meeting = (await (
      await call(api, 'POST', '/api/v1/meetings', { as: secretariat, body: meetingBody })
    ).json()) as { id: string };
    const observer = await insertUser(t.db, { role: 'observer' });
    const put = (userIds: string[], as: User = secretariat) =>
      call(api, 'PUT', `/api/v1/meetings/${meeting.id}/members`, { as, body: { userIds } });
    const first = await put([expert.id, observer.id, expert.id]);
    expect(first.status).toBe(200);
    expect(((await first.json()) as { memberIds: string[] }).memberIds.sort()).toEqual(
      [expert.id, observer.id].sort(),
    );
    const withDrafter = await put([expert.id, drafter.id]);
    expect(withDrafter.status).toBe(400);
    expect(((await withDrafter.json()) as { detail: string }).detail).toContain(drafter.id);
    expect((await put([], expert)).status).toBe(403);
    const second = await put([observer.id]);
    expect(await second.json()).toMatchObject({ memberIds: [observer.id] });
    const entries = await trail(`meeting:${meeting.id}`);
    expect(entries.map((e) => [e.event_type, e.payload])).toEqual([
      ['MEETING_CREATED', expect.any(Object)],
      ['MEETING_MEMBERS_SET', { added: [expert.id, observer.id], removed: [] }],
      ['MEETING_MEMBERS_SET', { added: [], removed: [expert.id] }],
    ]);
    expect((await verifyAuditChains(t.db)).ok).toBe(true);
  });

  it('lets the secretariat move deadlines, change rules and close the meeting, which then takes no guideline', async () => {
    const meeting = (await (
      await call(api, 'POST', '/api/v1/meetings', { as: secretariat, body: meetingBody })
    ).json()) as { id: string };
    const patch = (body: unknown, as: User = secretariat) =>
      call(api, 'PATCH', `/api/v1/meetings/${meeting.id}`, { as, body });
    const moved = await patch({
      consultationDeadline: '2005-10-29T17:00:00Z',
      voteDeadline: null,
      requiredMajority: 'simple',
      closed: true,
    });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      consultationDeadline: '2005-10-29T17:00:00.000Z',
      voteDeadline: null,
      requiredMajority: 'simple',
      closedAt: expect.any(String),
    });
    const owner = await insertUser(t.db, { role: 'drafter' });
    const created = (await (
      await call(api, 'POST', '/api/v1/guidelines', {
        as: owner,
        body: { title: 'T', section: 'protection', text: 'Text.' },
      })
    ).json()) as { id: string };
    const event = (body: unknown, as: User, version: number) =>
      call(api, 'POST', `/api/v1/guidelines/${created.id}/events`, {
        as,
        body,
        headers: { 'if-match': `"${version}"` },
      });
    expect((await event({ type: 'SUBMIT' }, owner, 1)).status).toBe(200);
    const refused = await event(
      { type: 'ACCEPT_FOR_REVIEW', meetingId: meeting.id },
      secretariat,
      2,
    );
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ detail: 'that meeting of experts is closed' });
    expect(await (await patch({ closed: false })).json()).toMatchObject({ closedAt: null });
    expect(
      (await event({ type: 'ACCEPT_FOR_REVIEW', meetingId: meeting.id }, secretariat, 2)).status,
    ).toBe(200);

    expect((await patch({ endsAt: '2005-01-01T00:00:00Z' })).status).toBe(400);
    expect((await patch({ quorum: 0.6 }, drafter)).status).toBe(403);
    expect((await patch({})).status).toBe(400);
    const entries = await trail(`meeting:${meeting.id}`);
    expect(entries.filter((e) => e.event_type === 'MEETING_UPDATED')).toHaveLength(2);
  });

  it('answers 404 for a meeting that does not exist, and 400 for an id that is not one', async () => {
    expect(
      (
        await call(api, 'GET', '/api/v1/meetings/00000000-0000-4000-8000-000000000000', {
          as: expert,
        })
      ).status,
    ).toBe(404);
    expect((await call(api, 'GET', '/api/v1/meetings/nope', { as: expert })).status).toBe(400);
  });
});

describe('Governing Body sessions', () => {
  const session = (number: number) => ({
    number,
    name: `${number}th Session`,
    startsAt: '2005-11-03T10:00:00+01:00',
    endsAt: '2005-11-18T18:00:00+01:00',
    documentDeadline: '2005-11-08T18:00:00+01:00',
  });

  it('are created by the secretariat, numbers unique, and read by anyone signed in', async () => {
    const created = await call(api, 'POST', '/api/v1/gb-sessions', {
      as: secretariat,
      body: session(294),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      number: 294,
      documentDeadline: '2005-11-08T17:00:00.000Z',
    });
    const again = await call(api, 'POST', '/api/v1/gb-sessions', {
      as: secretariat,
      body: session(294),
    });
    expect(again.status).toBe(409);
    expect(
      (await call(api, 'POST', '/api/v1/gb-sessions', { as: drafter, body: session(295) })).status,
    ).toBe(403);
    const list = (await (await call(api, 'GET', '/api/v1/gb-sessions', { as: expert })).json()) as {
      items: { number: number }[];
    };
    expect(list.items.map((s) => s.number)).toEqual([294]);
  });

  it('refuses a document deadline after the session ends', async () => {
    const response = await call(api, 'POST', '/api/v1/gb-sessions', {
      as: secretariat,
      body: { ...session(296), documentDeadline: '2005-12-01T00:00:00Z' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'body.documentDeadline' }] });
  });
});

it('signs in with the password a secretariat set for a new account', async () => {
  // The test password of the factories also works through the API (same scrypt parameters).
  const response = await call(api, 'POST', '/api/v1/auth/login', {
    body: { email: drafter.email, password: testPassword },
  });
  expect(response.status).toBe(200);
});
