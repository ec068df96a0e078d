import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deliveries } from '../../src/notifications/deliveries/runtime.js';
import { sendDailyDigests } from '../../src/notifications/deliveries/workers.js';
import { EventNotAllowed } from '../../src/workflow/errors.js';
import { call, startApi, type TestApi } from '../helpers/api.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { actObserved, startTestDeliveries, testDeliveryConfig } from '../helpers/deliveries.js';
import { type Review, setUpReview } from '../helpers/review.js';
import { type SmtpReceiver, startSmtpReceiver } from '../helpers/smtp.js';

// E-mail end to end: an event commits → its notifications' deliveries are rows of its transaction →
// pg-boss workers send them to a real SMTP server in this process, once per recipient, each with the
// delivery's id as its Message-ID; a refused event sends nothing; a retry keeps the Message-ID.

let t: TestDatabase;
let smtp: SmtpReceiver;
let deliveries: Deliveries;
let api: TestApi;
let r: Review;

beforeAll(async () => {
  t = await freshDatabase();
  smtp = await startSmtpReceiver();
  deliveries = await startTestDeliveries(t, testDeliveryConfig({ smtpUrl: smtp.url }));
  api = await startApi(t.db, {
    observers: [deliveries.observer],
    deliveries: { queue: deliveries.queue, allowPrivateWebhooks: true },
  });
  r = await setUpReview(t.db);
});
afterAll(async () => {
  await api?.close();
  await deliveries?.stop();
  await smtp?.close();
  await t?.close();
});

const act = (
  id: string,
  command: Parameters<typeof actObserved>[3],
  by: Parameters<typeof actObserved>[4],
) => actObserved(r, [deliveries.observer], id, command, by);

const emailRows = (guidelineId: string) =>
  t.db
    .selectFrom('deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .innerJoin('users as u', 'u.id', 'd.recipient_id')
    .select(['d.id', 'd.state', 'd.attempts', 'u.email'])
    .where('n.guideline_id', '=', guidelineId)
    .where('d.channel', '=', 'email')
    .execute();

const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));

async function inConsultation() {
  const { id } = await r.newGuideline();
  await act(id, { type: 'SUBMIT' }, r.owner);
  await act(id, { type: 'ACCEPT_FOR_REVIEW', meetingId: r.meetingId }, r.secretariat);
  return id;
}

describe('e-mail deliveries', () => {
  it('an event that commits reaches each recipient exactly once, with the delivery id as Message-ID', async () => {
    const id = await inConsultation();
    const rows = await emailRows(id);
    // SUBMIT tells the secretariat; ACCEPT_FOR_REVIEW the owner and the meeting's 7 members.
    expect(rows.length).toBe(9);
    await expect
      .poll(async () => (await emailRows(id)).filter((d) => d.state === 'delivered').length, {
        timeout: 15_000,
      })
      .toBe(9);
    for (const row of rows) {
      const mails = smtp.received.filter((m) => m.messageId === `<${row.id}@engine.test>`);
      expect(mails, row.email).toHaveLength(1);
      expect(mails[0]!.to).toEqual([row.email]);
    }
    const owner = mailsTo(r.owner.email).find((m) => m.subject.includes('open for consultation'));
    expect(owner?.raw).toContain('Content-Type: text/plain');
    expect(owner?.raw).toContain('Content-Type: text/html');
    expect(owner?.decoded).toContain(`https://review.example.org/api/v1/guidelines/${id}`);
  });

  it('a refused event writes no delivery and sends nothing', async () => {
    const id = await inConsultation();
    await expect
      .poll(async () => (await emailRows(id)).every((d) => d.state === 'delivered'), {
        timeout: 15_000,
      })
      .toBe(true);
    const before = (await emailRows(id)).length;
    const sent = smtp.received.length;
    // Not every group has stated its position: the secretariat may not close the consultation yet.
    await expect(act(id, { type: 'CLOSE_CONSULTATION' }, r.secretariat)).rejects.toBeInstanceOf(
      EventNotAllowed,
    );
    expect((await emailRows(id)).length).toBe(before);
    // The next event that commits is delivered; the refused one left nothing behind it in the queue.
    await act(id, { type: 'WITHDRAW', reason: 'Merged into another guideline.' }, r.owner);
    const after = await emailRows(id);
    await expect
      .poll(async () => (await emailRows(id)).filter((d) => d.state === 'delivered').length, {
        timeout: 15_000,
      })
      .toBe(after.length);
    expect(smtp.received.length - sent).toBe(after.length - before);
  });

  it('a retry after an SMTP failure carries the same Message-ID', async () => {
    const { id } = await r.newGuideline();
    smtp.refuseNext(1);
    await act(id, { type: 'SUBMIT' }, r.owner);
    const [row] = await emailRows(id);
    expect(row).toBeDefined();
    await expect
      .poll(async () => (await emailRows(id))[0]?.state, { timeout: 15_000 })
      .toBe('delivered');
    const messageId = `<${row!.id}@engine.test>`;
    expect(smtp.refused).toContain(messageId);
    expect(smtp.received.filter((m) => m.messageId === messageId)).toHaveLength(1);
    const tries = await t.db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('delivery_id', '=', row!.id)
      .orderBy('number')
      .execute();
    expect(tries.map((x) => x.ok)).toEqual([false, true]);
    expect(tries[0]!.error).toContain('451');
  });
});

describe('preferences', () => {
  it('answers the defaults, changes only what is given, and refuses what is not a choice', async () => {
    const me = r.experts.workers[1]!;
    const got = await call(api, 'GET', '/api/v1/me/preferences', { as: me });
    expect(await got.json()).toEqual({ email: 'immediate', webhook: 'immediate', language: 'en' });
    const put = await call(api, 'PUT', '/api/v1/me/preferences', {
      as: me,
      body: { language: 'fr' },
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ email: 'immediate', webhook: 'immediate', language: 'fr' });
    for (const body of [{ email: 'weekly' }, { language: 'de' }, { role: 'secretariat' }, {}]) {
      const bad = await call(api, 'PUT', '/api/v1/me/preferences', { as: me, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    const stored = await t.db
      .selectFrom('notification_preferences')
      .selectAll()
      .where('user_id', '=', me.id)
      .executeTakeFirstOrThrow();
    expect([stored.email, stored.language]).toEqual(['immediate', 'fr']);
  });

  it('e-mail off writes no e-mail delivery; a French reader gets French', async () => {
    const silent = r.experts.employers[1]!;
    const french = r.experts.workers[1]!;
    await call(api, 'PUT', '/api/v1/me/preferences', { as: silent, body: { email: 'off' } });
    await call(api, 'PUT', '/api/v1/me/preferences', { as: french, body: { language: 'fr' } });
    const id = await inConsultation();
    const rows = await emailRows(id);
    expect(rows.map((x) => x.email)).not.toContain(silent.email);
    expect(rows.map((x) => x.email)).toContain(french.email);
    const row = rows.find((x) => x.email === french.email)!;
    const frenchMail = () => smtp.received.find((m) => m.messageId === `<${row.id}@engine.test>`);
    await expect.poll(frenchMail, { timeout: 15_000 }).toBeDefined();
    expect(frenchMail()?.decoded).toContain('Recruitment : ouverte à la consultation');
    expect(frenchMail()?.decoded).toContain('Ouvrir la ligne directrice');
  });

  it('a daily digest carries two notifications in one message', async () => {
    const reader = r.experts.government[1]!;
    await call(api, 'PUT', '/api/v1/me/preferences', {
      as: reader,
      body: { email: 'daily_digest' },
    });
    const id = await inConsultation();
    await act(id, { type: 'WITHDRAW', reason: 'Superseded.' }, r.owner);
    const items = await t.db
      .selectFrom('deliveries')
      .selectAll()
      .where('recipient_id', '=', reader.id)
      .where('state', '=', 'digest')
      .where('digest_id', 'is', null)
      .execute();
    expect(items.length).toBe(2);
    const before = mailsTo(reader.email).length;
    // Immediate e-mails to this reader from earlier tests that had not arrived yet.
    const pendingBefore = Number(
      (
        await t.db
          .selectFrom('deliveries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('recipient_id', '=', reader.id)
          .where('channel', '=', 'email')
          .where('state', 'in', ['pending', 'failed'])
          .executeTakeFirstOrThrow()
      ).n,
    );
    const [digest, ...others] = await sendDailyDigests({
      db: t.db,
      queue: deliveries.queue,
      wallClock: { now: () => new Date() },
    });
    expect(digest).toBeDefined();
    expect(others).toEqual([]);
    // Found by its id: a message of an earlier test to the same reader may still be arriving.
    const digestMails = () =>
      mailsTo(reader.email).filter((m) => m.messageId === `<${digest}@engine.test>`);
    await expect.poll(() => digestMails().length, { timeout: 15_000 }).toBe(1);
    const mail = digestMails()[0]!;
    // Nothing else reached a reader who chose the digest, but what was sent before the choice.
    expect(mailsTo(reader.email).length).toBeLessThanOrEqual(before + 1 + pendingBefore);
    expect(mail.subject).toContain('2 notifications');
    expect(mail.raw).toContain('open for consultation');
    expect(mail.raw).toContain('withdrawn');
    // A second gathering finds nothing new: the two items are carried.
    expect(
      await sendDailyDigests({
        db: t.db,
        queue: deliveries.queue,
        wallClock: { now: () => new Date() },
      }),
    ).toEqual([]);
  });
});
