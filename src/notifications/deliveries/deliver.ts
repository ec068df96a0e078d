import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import {
  type ClaimedDelivery,
  claimDeliveries,
  settleDelivery,
  type TryOutcome,
} from '../../db/deliveries.js';
import type { Database } from '../../db/schema.js';
import { nextRetryDelayMs, type RetryPolicy } from '../../domain/retry-schedule.js';
import type { Mailer } from '../email/mailer.js';
import { digestMail, type MailNotification, notificationMail } from '../email/templates.js';
import { webhookUrlRefusal } from '../webhooks/address.js';
import { postWebhook } from '../webhooks/send.js';
import { type CarriedNotification, contentsOf, type DeliveryContent } from './contents.js';
import type { DeliveryQueue } from './queue.js';

// One worker's pass over a batch of delivery jobs: claim the deliveries that are due, try each on
// its channel, then record every try and schedule the retries in one transaction.

export interface DeliveryDeps {
  db: Kysely<Database>;
  queue: DeliveryQueue;
  /** Real time for tries, leases and retries: never the scenario clock. */
  wallClock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** How long a claimed try may run before another worker may take it again. */
  leaseMs: number;
  /** Without it, e-mail deliveries fail (and are retried) until SMTP_URL is set. */
  mailer?: Mailer | undefined;
  webhooks: { allowPrivate: boolean; timeoutMs: number };
  /** The link to a guideline in e-mail and webhooks starts here when set. */
  publicUrl?: string | undefined;
}

export async function deliverBatch(deps: DeliveryDeps, deliveryIds: readonly string[]) {
  const started = deps.wallClock.now();
  const claimed = await claimDeliveries(deps.db, deliveryIds, started, deps.leaseMs);
  if (claimed.length === 0) return { tried: 0, delivered: 0 };
  const contents = await contentsOf(deps.db, claimed);
  const outcomes = await Promise.all(
    claimed.map(async (c): Promise<TryOutcome> => {
      const error = await tryOnce(deps, c, contents.get(c.id));
      const at = deps.wallClock.now();
      if (error === null) return { id: c.id, attempt: c.attempts, at, error };
      const delay = error.final ? null : nextRetryDelayMs(deps.retry, c.attempts);
      return {
        id: c.id,
        attempt: c.attempts,
        at,
        error: error.message,
        retryAt: delay === null ? null : new Date(at.getTime() + delay),
      };
    }),
  );
  await deps.db.transaction().execute(async (trx) => {
    for (const outcome of outcomes) await settleDelivery(trx, outcome);
    const retries = outcomes.flatMap((o) =>
      o.retryAt ? [{ deliveryId: o.id, startAfter: o.retryAt }] : [],
    );
    if (retries.length > 0) await deps.queue.enqueue(trx, retries);
  });
  const failed = outcomes.filter((o) => o.error !== null);
  for (const o of failed) {
    deps.logger.warn(
      { deliveryId: o.id, attempt: o.attempt, error: o.error, retryAt: o.retryAt ?? null },
      o.retryAt ? 'delivery failed; it will be tried again' : 'delivery dead after its last try',
    );
  }
  return { tried: outcomes.length, delivered: outcomes.length - failed.length };
}

type TryError = { message: string; final: boolean };

/** One try on the delivery's channel: null when it went through. */
async function tryOnce(
  deps: DeliveryDeps,
  claimed: ClaimedDelivery,
  content: DeliveryContent | undefined,
): Promise<TryError | null> {
  if (!content || content.notifications.length === 0) {
    return {
      message: 'nothing left to deliver: the recipient or notification is gone',
      final: true,
    };
  }
  try {
    if (claimed.channel === 'email') {
      if (!deps.mailer) return { message: 'e-mail is not configured (SMTP_URL)', final: false };
      const mail = mailFor(deps, content);
      await deps.mailer.send({ ...mail, to: content.recipient.email, deliveryId: claimed.id });
      return null;
    }
    const subscription = content.subscription;
    if (!subscription?.live)
      return { message: 'the webhook subscription was deleted', final: true };
    const refusal = await webhookUrlRefusal(subscription.url, deps.webhooks.allowPrivate);
    if (refusal) return { message: `the webhook URL ${refusal}`, final: false };
    await postWebhook({
      url: subscription.url,
      secret: subscription.secret,
      deliveryId: claimed.id,
      body: JSON.stringify(webhookPayload(deps, content)),
      now: deps.wallClock.now(),
      timeoutMs: deps.webhooks.timeoutMs,
    });
    return null;
  } catch (error) {
    return { message: describe(error), final: false };
  }
}

function describe(error: unknown): string {
  const e = error as { message?: unknown; cause?: { message?: unknown; code?: unknown } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return (cause ? `${message} (${String(cause)})` : message).slice(0, 1000);
}

function linkOf(deps: DeliveryDeps, n: CarriedNotification): string | undefined {
  if (!deps.publicUrl || !n.guidelineId) return undefined;
  return `${deps.publicUrl.replace(/\/+$/, '')}/api/v1/guidelines/${n.guidelineId}`;
}

function mailFor(deps: DeliveryDeps, content: DeliveryContent) {
  const items: MailNotification[] = content.notifications.map((n) => ({
    title: n.title,
    event: n.event,
    guidelineTitle: n.guidelineTitle,
    createdAt: n.createdAt,
    link: linkOf(deps, n),
  }));
  const { language, name } = content.recipient;
  return content.digest
    ? digestMail(language, name, items)
    : notificationMail(language, name, items[0]!);
}

/** The Standard Webhooks body: `type`, `timestamp`, `data`. */
function webhookPayload(deps: DeliveryDeps, content: DeliveryContent) {
  const describeOne = (n: CarriedNotification) => ({
    id: n.id,
    kind: n.kind,
    ...(n.event ? { event: n.event } : {}),
    guidelineId: n.guidelineId,
    title: n.title,
    createdAt: n.createdAt.toISOString(),
    ...(linkOf(deps, n) ? { link: linkOf(deps, n) } : {}),
  });
  const recipient = { id: content.recipient.id };
  if (content.digest) {
    return {
      type: 'notification.digest',
      timestamp: deps.wallClock.now().toISOString(),
      data: { recipient, notifications: content.notifications.map(describeOne) },
    };
  }
  const n = content.notifications[0]!;
  return {
    type: n.kind,
    timestamp: n.createdAt.toISOString(),
    data: { recipient, notification: describeOne(n) },
  };
}
