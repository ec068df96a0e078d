import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { requestHash } from '../../src/api/idempotency.js';
import type { User } from '../../src/db/schema.js';
import { call, type TestApi } from '../helpers/api.js';
import type { TestDatabase } from '../helpers/database.js';
import { storedVersion } from '../helpers/factories.js';
import { openConsultation, type Review } from '../helpers/review.js';
import { useReviewApi } from '../helpers/review-api.js';

// An Idempotency-Key whose request died (issue 11 item 8). The event's own transaction records on
// the key that it committed; a retry after the lease then answers from that event instead of
// sending it again, and a key whose request committed nothing is released to run again.

let t: TestDatabase;
let api: TestApi;
let r: Review;
useReviewApi((setup) => {
  ({ t, api, r } = setup);
});

const keyRow = (user: User, key: string) =>
  t.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('user_id', '=', user.id)
    .where('key', '=', key)
    .executeTakeFirst();

/** What a process that crashed after the commit, before storing its answer, leaves on the key. */
const crashAfterCommit = (user: User, key: string, minutesAgo = 10) =>
  sql`
    update idempotency_keys
    set status = null, response_headers = null, response_body = null, completed_at = null,
        created_at = now() - make_interval(mins => ${minutesAgo})
    where user_id = ${user.id} and key = ${key}
  `.execute(t.db);

const auditCount = async (id: string) =>
  Number(
    (
      await t.db
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('guideline_id', '=', id)
        .executeTakeFirstOrThrow()
    ).n,
  );

async function sendEvent(id: string, as: User, key: string, body: unknown, etag: string) {
  return call(api, 'POST', `/api/v1/guidelines/${id}/events`, {
    as,
    headers: { 'idempotency-key': key, 'if-match': etag },
    body,
  });
}

describe('an Idempotency-Key on a workflow event', () => {
  it('records the committed event in its transaction, and not a refused one', async () => {
    const { id } = await r.newGuideline();
    const refused = await sendEvent(id, r.owner, 'refused-1', { type: 'CLOSE_VOTE' }, '"1"');
    expect(refused.status).toBe(403);
    expect(await keyRow(r.owner, 'refused-1')).toMatchObject({ committed_guideline_id: null });

    const sent = await sendEvent(id, r.owner, 'submit-1', { type: 'SUBMIT' }, '"1"');
    expect(sent.status).toBe(200);
    expect(await keyRow(r.owner, 'submit-1')).toMatchObject({
      status: 200,
      committed_guideline_id: id,
      committed_version: 2,
    });
  });

  it('answers a retry after the request died past its commit from what committed, once', async () => {
    const { id } = await r.newGuideline();
    const first = await sendEvent(id, r.owner, 'died-1', { type: 'SUBMIT' }, '"1"');
    expect(first.status).toBe(200);
    const answered = (await first.json()) as Record<string, unknown>;
    await crashAfterCommit(r.owner, 'died-1');
    const entries = await auditCount(id);

    const retry = await sendEvent(id, r.owner, 'died-1', { type: 'SUBMIT' }, '"1"');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('etag')).toBe('"2"');
    const recovered = (await retry.json()) as Record<string, unknown>;
    expect(recovered).toMatchObject({ id, state: 'secretariat_check', version: 2 });
    expect(recovered.updatedAt).toBe(answered.updatedAt);
    // The event was not sent a second time.
    expect(await auditCount(id)).toBe(entries);
    expect(await storedVersion(t.db, id)).toBe(2);
    // The recovered answer is kept like any other.
    expect(await keyRow(r.owner, 'died-1')).toMatchObject({ status: 200 });
  });

  it('answers a retry of a stated position with that position', async () => {
    const { id } = await r.newGuideline();
    await openConsultation(r, id);
    const spokesperson = r.spokesperson('workers');
    const body = { stance: 'support', statement: 'Workers support the text.' };
    const post = () =>
      call(api, 'POST', `/api/v1/guidelines/${id}/positions`, {
        as: spokesperson,
        headers: { 'idempotency-key': 'position-1' },
        body,
      });
    expect((await post()).status).toBe(201);
    await crashAfterCommit(spokesperson, 'position-1');
    const retry = await post();
    expect(retry.status).toBe(201);
    expect(await retry.json()).toMatchObject({ group: 'workers', statement: body.statement });
    const stored = await t.db
      .selectFrom('positions')
      .select('id')
      .where('guideline_id', '=', id)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('releases a key whose request died before anything committed, so the event runs', async () => {
    const { id } = await r.newGuideline();
    await t.db
      .insertInto('idempotency_keys')
      .values({
        user_id: r.owner.id,
        key: 'died-early',
        method: 'POST',
        path: `/api/v1/guidelines/${id}/events`,
        request_hash: requestHash({ type: 'SUBMIT' }),
        created_at: sql<Date>`now() - interval '10 minutes'`,
      })
      .execute();
    const retry = await sendEvent(id, r.owner, 'died-early', { type: 'SUBMIT' }, '"1"');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await storedVersion(t.db, id)).toBe(2);
  });

  it('keeps saying "in progress" while the lease runs, even when the event committed', async () => {
    const { id } = await r.newGuideline();
    expect((await sendEvent(id, r.owner, 'running-1', { type: 'SUBMIT' }, '"1"')).status).toBe(200);
    await crashAfterCommit(r.owner, 'running-1', 0);
    const retry = await sendEvent(id, r.owner, 'running-1', { type: 'SUBMIT' }, '"1"');
    expect(retry.status).toBe(409);
  });
});
