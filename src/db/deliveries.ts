import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, DeliveryChannel, DeliveryState } from './schema.js';

// The deliveries outbox: rows written with the notifications they carry, claimed by workers for one
// try at a time, and settled as delivered, failed (to be tried again) or dead.

/**
 * Writes, for each notification, one e-mail delivery if the recipient wants e-mail and one webhook
 * delivery per live subscription that wants its kind or event, unless the recipient turned webhooks
 * off. A daily-digest choice makes a `digest` item instead of a pending delivery. Idempotent.
 * Answers the ids of the pending deliveries written, to hand to the workers.
 */
export async function insertDeliveries(
  trx: Transaction<Database> | Kysely<Database>,
  notificationIds: readonly string[],
  options: { email: boolean; now: Date },
): Promise<string[]> {
  if (notificationIds.length === 0) return [];
  const ids = sql.join(notificationIds.map((id) => sql`${id}::uuid`));
  const now = options.now;
  const channels = options.email
    ? sql`
      select n.id, n.recipient_id, 'email'::text, null::uuid, coalesce(p.email, 'immediate')
        from notifications n left join notification_preferences p on p.user_id = n.recipient_id
       where n.id in (${ids})
      union all`
    : sql``;
  const { rows } = await sql<{ id: string }>`
    with wanted (notification_id, recipient_id, channel, subscription_id, choice) as (
      ${channels}
      select n.id, n.recipient_id, 'webhook'::text, s.id, coalesce(p.webhook, 'immediate')
        from notifications n
        join webhook_subscriptions s on s.deleted_at is null
             and (s.events is null or s.events ? n.kind or s.events ? (n.data ->> 'event'))
        left join notification_preferences p on p.user_id = n.recipient_id
       where n.id in (${ids})
    ),
    written as (
      insert into deliveries (channel, notification_id, recipient_id, subscription_id, state,
                              next_attempt_at, created_at)
      select channel, notification_id, recipient_id, subscription_id,
             case when choice = 'daily_digest' then 'digest' else 'pending' end,
             case when choice = 'daily_digest' then null else ${now}::timestamptz end,
             ${now}::timestamptz
        from wanted where choice <> 'off'
      on conflict do nothing
      returning id, state
    )
    select id from written where state = 'pending'
  `.execute(trx);
  return rows.map((r) => r.id);
}

/**
 * Takes the deliveries given that are due, for one try each: their next try moves to the end of a
 * lease, so no other worker takes them meanwhile, and one whose worker died is taken again after it.
 */
export async function claimDeliveries(
  db: Kysely<Database>,
  ids: readonly string[],
  now: Date,
  leaseMs: number,
) {
  if (ids.length === 0) return [];
  return db
    .updateTable('deliveries')
    .set({
      attempts: sql`attempts + 1`,
      next_attempt_at: new Date(now.getTime() + leaseMs),
    })
    .where('id', 'in', [...ids])
    .where('state', 'in', ['pending', 'failed'])
    .where('next_attempt_at', '<=', now)
    .returning(['id', 'channel', 'attempts', 'notification_id', 'recipient_id', 'subscription_id'])
    .execute();
}

export type ClaimedDelivery = Awaited<ReturnType<typeof claimDeliveries>>[number];

export interface TryOutcome {
  id: string;
  attempt: number;
  at: Date;
  /** null when it went through. */
  error: string | null;
  /** After a failure: when to try again, or null for dead. */
  retryAt?: Date | null;
}

/** Records one try and what it leaves the delivery as. */
export async function settleDelivery(trx: Transaction<Database>, outcome: TryOutcome) {
  await trx
    .insertInto('delivery_attempts')
    .values({
      delivery_id: outcome.id,
      number: outcome.attempt,
      attempted_at: outcome.at,
      ok: outcome.error === null,
      error: outcome.error,
    })
    .onConflict((oc) => oc.columns(['delivery_id', 'number']).doNothing())
    .execute();
  const state: DeliveryState =
    outcome.error === null ? 'delivered' : outcome.retryAt ? 'failed' : 'dead';
  await trx
    .updateTable('deliveries')
    .set({
      state,
      last_error: outcome.error,
      next_attempt_at: state === 'failed' ? (outcome.retryAt ?? null) : null,
      delivered_at: state === 'delivered' ? outcome.at : null,
    })
    .where('id', '=', outcome.id)
    .where('attempts', '=', outcome.attempt)
    .execute();
}

/** Pending or failed deliveries whose try is overdue by `graceMs`: their job may have been lost. */
export async function overdueDeliveries(db: Kysely<Database>, now: Date, graceMs: number) {
  const rows = await db
    .selectFrom('deliveries')
    .select('id')
    .where('state', 'in', ['pending', 'failed'])
    .where('next_attempt_at', '<=', new Date(now.getTime() - graceMs))
    .limit(10_000)
    .execute();
  return rows.map((r) => r.id);
}

/** A dead or failed delivery made pending again, due now; null when it is neither. */
export async function replayDelivery(trx: Transaction<Database>, id: string, now: Date) {
  return trx
    .updateTable('deliveries')
    .set({ state: 'pending', next_attempt_at: now, last_error: null })
    .where('id', '=', id)
    .where('state', 'in', ['dead', 'failed'])
    .returning('id')
    .executeTakeFirst();
}

export interface DeliveryFilter {
  id?: string | undefined;
  state?: DeliveryState | undefined;
  channel?: DeliveryChannel | undefined;
}

/** Deliveries, newest first, with their tries, a page at a time after (created_at, id). */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: DeliveryFilter,
  page: { limit: number; after?: { createdAt: string; id: string } | undefined },
) {
  let query = db
    .selectFrom('deliveries as d')
    .leftJoin('notifications as n', 'n.id', 'd.notification_id')
    .select([
      'd.id',
      'd.channel',
      'd.state',
      'd.notification_id',
      'd.recipient_id',
      'd.subscription_id',
      'd.digest_id',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_error',
      'd.created_at',
      'd.delivered_at',
      'n.kind',
    ])
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(page.limit + 1);
  if (filter.id) query = query.where('d.id', '=', filter.id);
  if (filter.state) query = query.where('d.state', '=', filter.state);
  if (filter.channel) query = query.where('d.channel', '=', filter.channel);
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where(
      sql<boolean>`(d.created_at, d.id) < (${createdAt}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, page.limit);
  const tries =
    items.length === 0
      ? []
      : await db
          .selectFrom('delivery_attempts')
          .selectAll()
          .where(
            'delivery_id',
            'in',
            items.map((i) => i.id),
          )
          .orderBy('delivery_id')
          .orderBy('number')
          .execute();
  const last = items.at(-1);
  return {
    items: items.map((item) => ({
      ...item,
      tries: tries.filter((t) => t.delivery_id === item.id),
    })),
    next:
      rows.length > page.limit && last
        ? { createdAt: new Date(last.created_at).toISOString(), id: last.id }
        : null,
  };
}

/**
 * Bundles every waiting `digest` item into one pending delivery per recipient and channel (and
 * subscription): the day's digest. Answers the digests made.
 */
export async function gatherDigests(trx: Transaction<Database>, now: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with waiting as (
      select id, channel, recipient_id, subscription_id from deliveries
       where state = 'digest' and digest_id is null
       for update
    ),
    made as (
      insert into deliveries (channel, recipient_id, subscription_id, state, next_attempt_at, created_at)
      select distinct channel, recipient_id, subscription_id, 'pending', ${now}::timestamptz, ${now}::timestamptz
        from waiting
      returning id, channel, recipient_id, subscription_id
    ),
    bundled as (
      update deliveries d set digest_id = m.id
        from waiting w join made m on m.channel = w.channel and m.recipient_id = w.recipient_id
                                  and m.subscription_id is not distinct from w.subscription_id
       where d.id = w.id
      returning m.id
    )
    select distinct id from bundled
  `.execute(trx);
  return rows.map((r) => r.id);
}
