import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deliveries } from '../../src/notifications/deliveries/runtime.js';
import { EventNotAllowed } from '../../src/workflow/errors.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { actObserved, startTestDeliveries, testDeliveryConfig } from '../helpers/deliveries.js';
import { type Review, setUpReview } from '../helpers/review.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

// Webhooks end to end, with no SMTP server configured (so e-mail is no channel at all): the
// secretariat subscribes a real HTTP receiver that verifies every Standard Webhooks signature; an
// event commits → one signed request per notification, its webhook-id the delivery's id on every
// try; the receiver fails on purpose → retries, then `dead`; it comes back → the replay arrives with
// the same id, so the receiver can tell it is the message it missed.

let t: TestDatabase;
let receiver: WebhookReceiver;
let deliveries: Deliveries;
let api: TestApi;
let publicOnly: TestApi;
let r: Review;

beforeAll(async () => {
  t = await freshDatabase();
  receiver = await startWebhookReceiver();
  deliveries = await startTestDeliveries(t, testDeliveryConfig({ smtpUrl: undefined }));
  api = await startApi(t.db, {
    observers: [deliveries.observer],
    deliveries: { queue: deliveries.queue, allowPrivateWebhooks: true },
  });
  publicOnly = await startApi(t.db, {
    deliveries: { queue: deliveries.queue, allowPrivateWebhooks: false },
  });
  r = await setUpReview(t.db);
});
afterAll(async () => {
  await api?.close();
  await publicOnly?.close();
  await deliveries?.stop();
  await receiver?.close();
  await t?.close();
});

const act = (
  id: string,
  command: Parameters<typeof actObserved>[3],
  by: Parameters<typeof actObserved>[4],
) => actObserved(r, [deliveries.observer], id, command, by);

/** Subscribes `path` of the receiver through the API and teaches the receiver its secret. */
async function subscribe(path: string, events?: string[]) {
  const res = await call(api, 'POST', '/api/v1/webhooks', {
    as: r.secretariat,
    body: { url: `${receiver.url}${path}`, ...(events ? { events } : {}) },
  });
  expect(res.status).toBe(201);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const made = (await res.json()) as { id: string; secret: string };
  expect(made.secret).toMatch(/^whsec_/);
  receiver.secrets.set(path, made.secret);
  return made.id;
}

const unsubscribe = async (id: string) =>
  expect((await call(api, 'DELETE', `/api/v1/webhooks/${id}`, { as: r.secretariat })).status).toBe(
    204,
  );

const webhookRows = (subscriptionId: string) =>
  t.db
    .selectFrom('deliveries')
    .select(['id', 'state', 'attempts', 'notification_id'])
    .where('subscription_id', '=', subscriptionId)
    .orderBy('created_at')
    .execute();

const arrivedAt = (path: string) => receiver.requests.filter((q) => q.path === path);

describe('webhook deliveries', () => {
  it('a committed event reaches the receiver once per notification, signed, its id the delivery id', async () => {
    const sub = await subscribe('/all');
    const { id } = await r.newGuideline();
    await act(id, { type: 'SUBMIT' }, r.owner);
    await act(id, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat);
    const rows = await webhookRows(sub);
    // SUBMIT tells the secretariat; ACCEPT_FOR_REVIEW the owner and the meeting's 7 members.
    expect(rows).toHaveLength(9);
    await expect
      .poll(async () => (await webhookRows(sub)).every((d) => d.state === 'delivered'), {
        timeout: 15_000,
      })
      .toBe(true);
    const got = arrivedAt('/all');
    expect(got.map((q) => q.id).sort()).toEqual(rows.map((d) => d.id).sort());
    const notice = got.find((q) => q.body.type === 'guideline.accept_for_review');
    expect(notice?.body).toMatchObject({
      data: {
        notification: {
          event: 'ACCEPT_FOR_REVIEW',
          guidelineId: id,
          link: `https://review.example.org/api/v1/guidelines/${id}`,
        },
      },
    });
    expect(receiver.forged).toEqual([]);
    // No SMTP server is configured: no e-mail delivery was even written.
    const email = await t.db
      .selectFrom('deliveries')
      .select('id')
      .where('channel', '=', 'email')
      .execute();
    expect(email).toEqual([]);
    await unsubscribe(sub);
  });

  it('a subscription to some events hears only those; a refused event sends nothing', async () => {
    const sub = await subscribe('/votes', ['OPEN_VOTE', 'guideline.withdraw']);
    const { id } = await r.newGuideline();
    await act(id, { type: 'SUBMIT' }, r.owner);
    await expect(act(id, { type: 'OPEN_VOTE' }, r.secretariat)).rejects.toBeInstanceOf(
      EventNotAllowed,
    );
    expect(await webhookRows(sub)).toEqual([]);
    await act(id, { type: 'WITHDRAW', reason: 'Merged into another guideline.' }, r.owner);
    const rows = await webhookRows(sub);
    expect(rows.length).toBeGreaterThan(0);
    await expect.poll(() => arrivedAt('/votes').length, { timeout: 15_000 }).toBe(rows.length);
    expect(arrivedAt('/votes').every((q) => q.body.type === 'guideline.withdraw')).toBe(true);
    await unsubscribe(sub);
  });

  it('a receiver that fails twice gets the same webhook-id on the try that succeeds', async () => {
    const sub = await subscribe('/flaky', ['SUBMIT']);
    receiver.failNext('/flaky', 2);
    const { id } = await r.newGuideline();
    await act(id, { type: 'SUBMIT' }, r.owner);
    const [row] = await webhookRows(sub);
    expect(row).toBeDefined();
    await expect
      .poll(async () => (await webhookRows(sub))[0]?.state, { timeout: 15_000 })
      .toBe('delivered');
    const got = arrivedAt('/flaky');
    expect(got.map((q) => [q.id, q.status])).toEqual([
      [row!.id, 500],
      [row!.id, 500],
      [row!.id, 204],
    ]);
    const listed = await call(api, 'GET', '/api/v1/deliveries?channel=webhook&state=delivered', {
      as: r.secretariat,
    });
    const page = (await listed.json()) as {
      items: { id: string; tries: { ok: boolean; error: string | null }[] }[];
    };
    const mine = page.items.find((d) => d.id === row!.id);
    expect(mine?.tries.map((x) => x.ok)).toEqual([false, false, true]);
    expect(mine?.tries[0]?.error).toContain('500');
    await unsubscribe(sub);
  });

  it('after its last try a delivery is dead; replayed once the receiver is back, it arrives with its id', async () => {
    const sub = await subscribe('/down', ['SUBMIT']);
    receiver.failNext('/down', Number.POSITIVE_INFINITY);
    const { id } = await r.newGuideline();
    await act(id, { type: 'SUBMIT' }, r.owner);
    const [row] = await webhookRows(sub);
    await expect
      .poll(async () => (await webhookRows(sub))[0]?.state, { timeout: 15_000 })
      .toBe('dead');
    // maxAttempts is 3 in the test configuration.
    expect(arrivedAt('/down').map((q) => q.status)).toEqual([500, 500, 500]);
    const dead = await call(api, 'GET', '/api/v1/deliveries?state=dead', { as: r.secretariat });
    expect(((await dead.json()) as { items: { id: string }[] }).items.map((d) => d.id)).toContain(
      row!.id,
    );

    receiver.failNext('/down', 0);
    const replayed = await call(api, 'POST', `/api/v1/deliveries/${row!.id}/replay`, {
      as: r.secretariat,
    });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toMatchObject({ id: row!.id, state: 'pending' });
    await expect
      .poll(async () => (await webhookRows(sub))[0]?.state, { timeout: 15_000 })
      .toBe('delivered');
    const last = arrivedAt('/down').at(-1);
    expect([last?.id, last?.status]).toEqual([row!.id, 204]);
    // A delivered one is not replayed again.
    const again = await call(api, 'POST', `/api/v1/deliveries/${row!.id}/replay`, {
      as: r.secretariat,
    });
    expect(again.status).toBe(409);
    await unsubscribe(sub);
  });

  it('a deleted subscription hears nothing more', async () => {
    const sub = await subscribe('/gone', ['SUBMIT']);
    await unsubscribe(sub);
    const { id } = await r.newGuideline();
    await act(id, { type: 'SUBMIT' }, r.owner);
    expect(await webhookRows(sub)).toEqual([]);
    const list = await call(api, 'GET', '/api/v1/webhooks', { as: r.secretariat });
    const items = ((await list.json()) as { items: { id: string; secret?: string }[] }).items;
    expect(items.map((s) => s.id)).not.toContain(sub);
    expect(items.every((s) => s.secret === undefined)).toBe(true);
  });
});

describe('webhook subscriptions', () => {
  it('a URL on a loopback or private address is refused unless allowed, and nothing is stored', async () => {
    const before = await t.db.selectFrom('webhook_subscriptions').select('id').execute();
    for (const url of [
      'http://127.0.0.1:9/hook',
      'http://10.1.2.3/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://localhost/hook',
      'ftp://example.org/hook',
      'http://user:pw@example.org/hook',
    ]) {
      const res = await call(publicOnly, 'POST', '/api/v1/webhooks', {
        as: r.secretariat,
        body: { url },
      });
      expect(res.status, url).toBe(400);
      expect(JSON.stringify(await res.json()), url).toContain('url');
    }
    expect(await t.db.selectFrom('webhook_subscriptions').select('id').execute()).toEqual(before);
  });

  it('only the secretariat manages subscriptions', async () => {
    for (const who of [r.owner, r.spokesperson('workers'), r.observer]) {
      const res = await call(api, 'POST', '/api/v1/webhooks', {
        as: who,
        body: { url: `${receiver.url}/x` },
      });
      expect(res.status).toBe(403);
      expect((await call(api, 'GET', '/api/v1/deliveries', { as: who })).status).toBe(403);
    }
  });
});
