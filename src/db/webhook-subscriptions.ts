import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// The secretariat's webhook receivers. Deleting one keeps its row (its deliveries name it) and stops
// every delivery still waiting for it.

const shown = ['id', 'url', 'events', 'created_by', 'created_at'] as const;

export function insertSubscription(
  db: Kysely<Database>,
  values: { url: string; events: string[] | null; secret: string; createdBy: string; now: Date },
) {
  return db
    .insertInto('webhook_subscriptions')
    .values({
      url: values.url,
      events: values.events === null ? null : JSON.stringify(values.events),
      secret: values.secret,
      created_by: values.createdBy,
      created_at: values.now,
    })
    .returning(shown)
    .executeTakeFirstOrThrow();
}

export function liveSubscriptions(db: Kysely<Database>) {
  return db
    .selectFrom('webhook_subscriptions')
    .select(shown)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Marks it deleted; false when there is no live subscription with that id. */
export async function deleteSubscription(db: Kysely<Database>, id: string, now: Date) {
  const row = await db
    .updateTable('webhook_subscriptions')
    .set({ deleted_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await db
    .updateTable('deliveries')
    .set({
      state: 'dead',
      last_error: 'the webhook subscription was deleted',
      next_attempt_at: null,
    })
    .where('subscription_id', '=', id)
    .where('state', 'in', ['pending', 'failed', 'digest'])
    .execute();
  return true;
}
