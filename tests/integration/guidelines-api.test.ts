import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { bearer, problemOf, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { storedGuideline } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const get = (path: string, user: User) => fetch(`${api.url}${path}`, { headers: bearer(user) });
const send = (id: string, user: User, body: unknown, ifMatch?: string) =>
  fetch(`${api.url}/api/v1/guidelines/${id}/events`, {
    method: 'POST',
    headers: {
      ...bearer(user),
      'content-type': 'application/json',
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
    },
    body: JSON.stringify(body),
  });
const stored = (id: string) => storedGuideline(t.db, id);

describe('GET /api/v1/guidelines/:id', () => {
  it('shows the owner their draft with its version as ETag and every event with a reason', async () => {
    const { id } = await r.newGuideline();
    const response = await get(`/api/v1/guidelines/${id}`, r.owner);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    const body = (await response.json()) as Record<string, unknown> & {
      allowedEvents: { type: string; allowed: boolean; reason?: string }[];
    };
    expect(body).toMatchObject({
      id,
      section: 'protection',
      state: 'drafting',
      stateValue: 'drafting',
      round: 1,
      version: 1,
      ownerId: r.owner.id,
    });
    expect(body.allowedEvents.find((e) => e.type === 'SUBMIT')).toEqual({
      type: 'SUBMIT',
      allowed: true,
    });
    expect(body.allowedEvents.find((e) => e.type === 'OPEN_VOTE')).toEqual({
      type: 'OPEN_VOTE',
      allowed: false,
      reason: 'only the secretariat may do this',
    });
  });

  it('hides a draft from other drafters and experts as if it did not exist, and shows it once in consultation', async () => {
    const { id } = await r.newGuideline();
    const missing = await get(
      '/api/v1/guidelines/00000000-0000-4000-8000-000000000000',
      r.otherDrafter,
    );
    for (const user of [r.otherDrafter, r.spokesperson('employers'), r.observer]) {
      const response = await get(`/api/v1/guidelines/${id}`, user);
      expect(response.status).toBe(404);
      expect(await problemOf(response)).toEqual({
        ...(await problemOf(missing.clone())),
        instance: `/api/v1/guidelines/${id}`,
      });
    }
    expect((await get(`/api/v1/guidelines/${id}`, r.secretariat)).status).toBe(200);
    await openConsultation(r, id);
    const response = await get(`/api/v1/guidelines/${id}`, r.observer);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      state: 'consultation',
      stateValue: { consultation: { government: 'open', employers: 'open', workers: 'open' } },
    });
  });
});

describe('POST /api/v1/guidelines/:id/events', () => {
  it('applies an event with the current ETag and answers with the new one', async () => {
    const { id } = await r.newGuideline();
    const response = await send(id, r.owner, { type: 'SUBMIT' }, '"1"');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(await response.json()).toMatchObject({ state: 'secretariat_check', version: 2 });
    expect((await stored(id)).state).toBe('secretariat_check');
  });

  it('asks for If-Match (428), refuses a stale one (412, with the current version), and changes nothing', async () => {
    const { id } = await r.newGuideline();
    const missing = await send(id, r.owner, { type: 'SUBMIT' });
    expect(missing.status).toBe(428);
    await send(id, r.owner, { type: 'SUBMIT' }, '"1"');
    const stale = await send(
      id,
      r.secretariat,
      { type: 'RETURN_TO_DRAFTER', reason: 'Cite C181.' },
      '"1"',
    );
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({
      code: 'precondition_failed',
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect(await stored(id)).toMatchObject({ state: 'secretariat_check', version: 2 });
  });

  it('403 when it is not the caller’s to do, 422 with the reason when the state or a rule forbids it', async () => {
    const { id } = await r.newGuideline();
    const forbidden = await send(
      id,
      r.otherDrafter,
      { type: 'WITHDRAW', reason: 'Mine now.' },
      '"1"',
    );
    // Another drafter cannot even see the draft.
    expect(forbidden.status).toBe(404);
    const notYours = await send(id, r.secretariat, { type: 'SUBMIT' }, '"1"');
    expect(notYours.status).toBe(403);
    expect(await notYours.json()).toMatchObject({
      code: 'forbidden',
      event: 'SUBMIT',
      detail: 'only the drafter who owns this guideline may submit it',
    });
    const notNow = await send(id, r.secretariat, { type: 'OPEN_VOTE' }, '"1"');
    expect(notNow.status).toBe(422);
    expect(await notNow.json()).toMatchObject({
      code: 'not_allowed_now',
      state: 'drafting',
      detail: 'OPEN_VOTE is not possible while the guideline is in drafting',
    });
    const timer = await send(id, r.secretariat, { type: 'CONSULTATION_DEADLINE' }, '"1"');
    expect(timer.status).toBe(403);
    expect((await stored(id)).version).toBe(1);
  });

  it('refuses an unknown event, a missing payload and fields the event does not take', async () => {
    const { id } = await r.newGuideline();
    for (const body of [
      { type: 'PUBLISH' },
      { type: 'WITHDRAW' },
      { type: 'SUBMIT', state: 'approved' },
      { type: 'WITHDRAW', reason: '   ' },
    ]) {
      const response = await send(id, r.owner, body, '"1"');
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'validation_failed' });
    }
    expect((await stored(id)).version).toBe(1);
  });
});

describe('the workflow and the audit trail', () => {
  it('serves the statechart as JSON and as Mermaid', async () => {
    const json = (await (await get('/api/v1/workflow', r.observer)).json()) as {
      states: { key: string }[];
    };
    expect(json.states.map((s) => s.key)).toContain('submitted_to_gb');
    const mermaid = await get('/api/v1/workflow.mmd', r.observer);
    expect(mermaid.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await mermaid.text()).toMatch(/^stateDiagram-v2\n/);
  });

  it('lets the secretariat verify the chains, and names the first entry that was tampered with', async () => {
    const { id } = await r.newGuideline();
    await send(id, r.owner, { type: 'SUBMIT' }, '"1"');
    expect((await get('/api/v1/audit/verify', r.owner)).status).toBe(403);
    const intact = await get('/api/v1/audit/verify', r.secretariat);
    expect(await intact.json()).toMatchObject({ ok: true, firstBreak: null });
    // The trail refuses UPDATE; only someone who disables the trigger can forge an entry.
    await t.db.transaction().execute(async (trx) => {
      await sql`alter table audit_entries disable trigger audit_entries_append_only`.execute(trx);
      await trx
        .updateTable('audit_entries')
        .set({ payload: JSON.stringify({ forged: true }) })
        .where('guideline_id', '=', id)
        .where('seq', '=', 2)
        .execute();
      await sql`alter table audit_entries enable trigger audit_entries_append_only`.execute(trx);
    });
    const broken = (await (await get('/api/v1/audit/verify', r.secretariat)).json()) as {
      ok: boolean;
      firstBreak: Record<string, unknown>;
    };
    expect(broken.ok).toBe(false);
    expect(broken.firstBreak).toMatchObject({
      chain: `guideline:${id}`,
      seq: 2,
      problem: 'hash_mismatch',
    });
  });
});
