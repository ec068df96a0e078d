import type { Kysely } from 'kysely';
import { systemClock } from '../clock.js';
import { type DeliveryFilter, listDeliveries, replayDelivery } from '../db/deliveries.js';
import type { Database } from '../db/schema.js';
import type { DeliveryQueue } from '../notifications/deliveries/queue.js';
import { RecordConflict, RecordNotFound } from './errors.js';

// What the secretariat sees of deliveries, and the replay of one that failed or died.

export interface DeliveriesDeps {
  db: Kysely<Database>;
  /** Where a replay's try goes; without it the sweep picks the replay up. */
  queue?: DeliveryQueue | undefined;
}

export const deliveriesPage = (
  deps: DeliveriesDeps,
  filter: DeliveryFilter,
  page: { limit: number; after?: { createdAt: string; id: string } | undefined },
) => listDeliveries(deps.db, filter, page);

/** A dead or failed delivery is tried again now, with the same id (so the same message id). */
export async function replay(deps: DeliveriesDeps, id: string) {
  await deps.db.transaction().execute(async (trx) => {
    // Real time, like every try.
    const replayed = await replayDelivery(trx, id, systemClock.now());
    if (!replayed) {
      const exists = await trx
        .selectFrom('deliveries')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!exists) throw new RecordNotFound('delivery');
      throw new RecordConflict(
        `Only a dead or failed delivery is replayed; this one is ${exists.state}.`,
      );
    }
    await deps.queue?.enqueue(trx, [{ deliveryId: id }]);
  });
  const { items } = await listDeliveries(deps.db, { id }, { limit: 1 });
  return items[0]!;
}
