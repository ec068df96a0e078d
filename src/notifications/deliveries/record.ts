import type { Kysely, Transaction } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import { insertDeliveries } from '../../db/deliveries.js';
import type { Database } from '../../db/schema.js';
import type { EventObserver } from '../../workflow/observers.js';
import type { DeliveryQueue } from './queue.js';

// The outbox's writer: in the transaction that wrote some notifications, the deliveries their
// recipients want and the jobs that will send them. Nothing exists for a transaction that did not
// commit; everything that committed is sent, sooner or later.

export interface RecordOptions {
  /** Enqueues the jobs in the same transaction; without it the sweep finds the rows within a minute. */
  queue?: DeliveryQueue | undefined;
  /** Whether e-mail is a channel at all (SMTP_URL set); true by default. */
  email?: boolean | undefined;
  /** Real time for the first try. */
  wallClock?: Clock | undefined;
}

/** Writes the deliveries of notifications written in `trx` (an event's, a reminder's). */
export async function recordDeliveries(
  trx: Transaction<Database> | Kysely<Database>,
  notificationIds: readonly string[],
  options: RecordOptions = {},
): Promise<string[]> {
  const ids = await insertDeliveries(trx, notificationIds, {
    email: options.email ?? true,
    now: (options.wallClock ?? systemClock).now(),
  });
  if (ids.length > 0 && options.queue) {
    await options.queue.enqueue(
      trx as Transaction<Database>,
      ids.map((deliveryId) => ({ deliveryId })),
    );
  }
  return ids;
}

/** The engine's observer: every event's notifications get their deliveries in its transaction. */
export function deliveryObserver(options: RecordOptions = {}): EventObserver {
  return {
    async written(trx, event) {
      await recordDeliveries(trx, event.notificationIds, options);
    },
    async notified(trx, notificationIds) {
      await recordDeliveries(trx, notificationIds, options);
    },
  };
}
