import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Account, Database } from '../db/schema.js';
import {
  deleteSubscription,
  insertSubscription,
  liveSubscriptions,
} from '../db/webhook-subscriptions.js';
import { webhookUrlRefusal } from '../notifications/webhooks/address.js';
import { newWebhookSecret } from '../notifications/webhooks/send.js';
import { RecordInvalid, RecordNotFound } from './errors.js';

// Webhook subscriptions, managed by the secretariat: a receiver's URL (public unless private
// addresses are allowed), the events or notification kinds it wants, and a secret shown once.

export interface WebhookDeps {
  db: Kysely<Database>;
  clock: Clock;
  allowPrivateWebhooks: boolean;
}

export async function subscribeWebhook(
  deps: WebhookDeps,
  body: { url: string; events?: string[] | undefined },
  by: Account,
) {
  const refusal = await webhookUrlRefusal(body.url, deps.allowPrivateWebhooks);
  if (refusal) throw new RecordInvalid('url', `The URL ${refusal}.`);
  const secret = newWebhookSecret(randomBytes);
  const row = await insertSubscription(deps.db, {
    url: body.url,
    events: body.events && body.events.length > 0 ? [...new Set(body.events)] : null,
    secret,
    createdBy: by.id,
    now: deps.clock.now(),
  });
  return { ...row, secret };
}

export const webhookSubscriptions = (deps: Pick<WebhookDeps, 'db'>) => liveSubscriptions(deps.db);

export async function unsubscribeWebhook(deps: WebhookDeps, id: string) {
  if (!(await deleteSubscription(deps.db, id, deps.clock.now()))) {
    throw new RecordNotFound('webhook subscription');
  }
}
