import { type Kysely, sql } from 'kysely';

// Frozen. E-mail and webhook deliveries (SPEC section 5), the choices they follow, and where they go.
// notification_preferences: a user's channel choices and language; no row means the defaults
// (immediate e-mail and webhooks, English).
// webhook_subscriptions: the secretariat's receivers; the secret is kept to sign with, and shown once.
// deliveries: the outbox of every message to send, one row per notification and channel (and per
// subscription), written in the transaction of the notification it carries; its id is the message's
// stable id. `digest` rows wait for the daily digest, which is itself a delivery (`digest_id`).
// delivery_attempts: each try, for the secretariat's list of what went wrong.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notification_preferences (
      user_id uuid primary key references users (id) on delete cascade,
      email text not null default 'immediate' check (email in ('immediate', 'daily_digest', 'off')),
      webhook text not null default 'immediate'
        check (webhook in ('immediate', 'daily_digest', 'off')),
      language text not null default 'en' check (language in ('en', 'fr', 'es')),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`
    create table webhook_subscriptions (
      id uuid primary key default gen_random_uuid(),
      url text not null,
      events jsonb,
      secret text not null,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      deleted_at timestamptz
    )
  `.execute(db);
  await sql`
    create table deliveries (
      id uuid primary key default gen_random_uuid(),
      channel text not null check (channel in ('email', 'webhook')),
      notification_id uuid references notifications (id) on delete cascade,
      recipient_id uuid not null references users (id) on delete cascade,
      subscription_id uuid references webhook_subscriptions (id),
      digest_id uuid references deliveries (id),
      state text not null check (state in ('pending', 'delivered', 'failed', 'dead', 'digest')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      check ((channel = 'webhook') = (subscription_id is not null)),
      check (notification_id is not null or state <> 'digest')
    )
  `.execute(db);
  // One delivery per notification, channel and subscription: recording twice writes nothing new.
  await sql`
    create unique index deliveries_once on deliveries
      (notification_id, channel, coalesce(subscription_id, '00000000-0000-0000-0000-000000000000'))
      where notification_id is not null
  `.execute(db);
  await sql`create index deliveries_by_time on deliveries (created_at desc, id desc)`.execute(db);
  await sql`create index deliveries_waiting on deliveries (state) where state in ('pending', 'failed', 'digest')`.execute(
    db,
  );
  await sql`create index deliveries_of_digest on deliveries (digest_id) where digest_id is not null`.execute(
    db,
  );
  await sql`
    create table delivery_attempts (
      delivery_id uuid not null references deliveries (id) on delete cascade,
      number integer not null,
      attempted_at timestamptz not null,
      ok boolean not null,
      error text,
      primary key (delivery_id, number)
    )
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delivery_attempts').execute();
  await db.schema.dropTable('deliveries').execute();
  await db.schema.dropTable('webhook_subscriptions').execute();
  await db.schema.dropTable('notification_preferences').execute();
}
