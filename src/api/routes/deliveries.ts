import { z } from 'zod';
import { guidelineEventTypes } from '../../machines/events.js';
import { deliveriesPage, replay } from '../../workflow/deliveries.js';
import {
  subscribeWebhook,
  unsubscribeWebhook,
  webhookSubscriptions,
} from '../../workflow/webhooks.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { listOf, pageOf } from '../schemas.js';
import { timeCursor } from '../validation.js';

// Webhook subscriptions and every e-mail and webhook delivery, for the secretariat (SPEC section 5).

const id = z.uuid();
const params = z.strictObject({ id });
/** An event name of section 2 or a notification kind (`guideline.open_vote`, a reminder's kind…). */
const eventName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/,
    'an event name such as OPEN_VOTE, or a notification kind',
  )
  .refine(
    (v) => v.includes('.') || (guidelineEventTypes as readonly string[]).includes(v),
    'an event name of the workflow (SUBMIT, OPEN_VOTE…) or a notification kind such as guideline.open_vote',
  );
const webhookBody = z.strictObject({
  url: z.string().trim().min(1).max(2000),
  events: z.array(eventName).max(100).optional(),
});
const webhookSchema = z
  .strictObject({
    id,
    url: z.string(),
    events: z.array(z.string()).nullable(),
    createdBy: id,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'WebhookSubscription' });
const createdWebhookSchema = webhookSchema
  .extend({ secret: z.string().describe('The whsec_… signing secret. Shown this once.') })
  .meta({ id: 'WebhookSubscriptionCreated' });

const states = ['pending', 'delivered', 'failed', 'dead', 'digest'] as const;
const channels = ['email', 'webhook'] as const;
const listQuery = z.strictObject({
  state: z.enum(states).optional(),
  channel: z.enum(channels).optional(),
  cursor: timeCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const deliverySchema = z
  .strictObject({
    id: id.describe('The stable message id: webhook-id, and the e-mail Message-ID <id@domain>.'),
    channel: z.enum(channels),
    state: z.enum(states),
    notificationId: id.nullable(),
    kind: z.string().nullable(),
    recipientId: id,
    subscriptionId: id.nullable(),
    digestId: id.nullable(),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime().nullable(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
    tries: z.array(
      z.strictObject({
        number: z.number().int(),
        at: z.iso.datetime(),
        ok: z.boolean(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'Delivery' });

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

type Subscription = Awaited<ReturnType<typeof webhookSubscriptions>>[number];
const webhookView = (s: Subscription) => ({
  id: s.id,
  url: s.url,
  events: s.events,
  createdBy: s.created_by,
  createdAt: new Date(s.created_at).toISOString(),
});

type Listed = Awaited<ReturnType<typeof deliveriesPage>>['items'][number];
const deliveryView = (d: Listed) => ({
  id: d.id,
  channel: d.channel,
  state: d.state,
  notificationId: d.notification_id,
  kind: d.kind,
  recipientId: d.recipient_id,
  subscriptionId: d.subscription_id,
  digestId: d.digest_id,
  attempts: d.attempts,
  nextAttemptAt: iso(d.next_attempt_at),
  lastError: d.last_error,
  createdAt: new Date(d.created_at).toISOString(),
  deliveredAt: iso(d.delivered_at),
  tries: d.tries.map((t) => ({
    number: t.number,
    at: new Date(t.attempted_at).toISOString(),
    ok: t.ok,
    error: t.error,
  })),
});

export const deliveryEndpoints = (deps: ApiDependencies) => {
  const webhookDeps = {
    db: deps.db,
    clock: deps.clock,
    allowPrivateWebhooks: deps.deliveries?.allowPrivateWebhooks ?? false,
  };
  const deliveriesDeps = { db: deps.db, queue: deps.deliveries?.queue };
  return [
    endpoint({
      method: 'get',
      path: '/api/v1/webhooks',
      tag: 'deliveries',
      summary: 'Webhook subscriptions (secretariat)',
      description: 'Their secrets are never shown again.',
      signedIn: true,
      responses: {
        200: { description: 'Every live subscription.', schema: listOf(webhookSchema) },
      },
      problems: ['forbidden'],
      async handle({ user }, _req, res) {
        authorize(user, 'manage_deliveries');
        const items = await webhookSubscriptions(deps);
        res.json({ items: items.map(webhookView), nextCursor: null });
      },
    }),
    endpoint({
      method: 'post',
      path: '/api/v1/webhooks',
      tag: 'deliveries',
      summary: 'Subscribe a webhook receiver (secretariat)',
      description:
        'Standard Webhooks: each request carries `webhook-id` (the delivery id, the same on every try), `webhook-timestamp` (real time) and `webhook-signature` (`v1,` HMAC-SHA256 of `id.timestamp.body` with the secret). `events` are event names (OPEN_VOTE…) or notification kinds; none means every notification. A URL that resolves to a loopback or private address is refused unless WEBHOOK_ALLOW_PRIVATE=true. The `whsec_…` secret is in this answer only.',
      signedIn: true,
      body: webhookBody,
      headers: ['Idempotency-Key'],
      responses: {
        201: {
          description: 'Subscribed; keep the secret now.',
          schema: createdWebhookSchema,
          headers: ['Location'],
        },
      },
      problems: ['forbidden', 'unsupported_media_type', 'payload_too_large'],
      async handle({ body, user }, _req, res) {
        authorize(user, 'manage_deliveries');
        const made = await subscribeWebhook(webhookDeps, body, user);
        res
          .status(201)
          .set('Cache-Control', 'no-store')
          .location(`/api/v1/webhooks/${made.id}`)
          .json({ ...webhookView(made), secret: made.secret });
      },
    }),
    endpoint({
      method: 'delete',
      path: '/api/v1/webhooks/:id',
      tag: 'deliveries',
      summary: 'Delete a webhook subscription (secretariat)',
      description: 'Its deliveries still waiting are given up (dead); the delivered stay listed.',
      signedIn: true,
      params,
      responses: { 204: { description: 'Deleted.' } },
      problems: ['forbidden', 'not_found'],
      async handle({ params, user }, _req, res) {
        authorize(user, 'manage_deliveries');
        await unsubscribeWebhook(webhookDeps, params.id);
        res.status(204).end();
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/deliveries',
      tag: 'deliveries',
      summary: 'E-mail and webhook deliveries, newest first (secretariat)',
      description:
        '`state`: pending (waiting for its try), delivered, failed (tried, will be tried again at nextAttemptAt), dead (no try left: replay it), digest (waiting for the daily digest, digestId once gathered). Each with its tries.',
      signedIn: true,
      query: listQuery,
      responses: { 200: { description: 'A page.', schema: pageOf(deliverySchema) } },
      problems: ['forbidden'],
      async handle({ query, user }, _req, res) {
        authorize(user, 'manage_deliveries');
        const page = await deliveriesPage(deliveriesDeps, query, {
          limit: query.limit,
          after: query.cursor,
        });
        res.json({
          items: page.items.map(deliveryView),
          nextCursor: page.next ? timeCursor.encode(page.next) : null,
        });
      },
    }),
    endpoint({
      method: 'post',
      path: '/api/v1/deliveries/:id/replay',
      tag: 'deliveries',
      summary: 'Try a dead or failed delivery again now (secretariat)',
      description:
        'Same id, so the receiver recognises a message it already has. 409 for a delivery that is neither dead nor failed.',
      signedIn: true,
      params,
      responses: { 200: { description: 'The delivery, pending again.', schema: deliverySchema } },
      problems: ['forbidden', 'not_found', 'conflict'],
      async handle({ params, user }, _req, res) {
        authorize(user, 'manage_deliveries');
        res.json(deliveryView(await replay(deliveriesDeps, params.id)));
      },
    }),
  ];
};
