import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

// Where a delivery's try is scheduled: a durable job, enqueued through the transaction that wrote
// the delivery (or its last failure), so the job exists exactly when the row does.

export interface DeliveryTry {
  deliveryId: string;
  /** Real time; now when omitted. */
  startAfter?: Date;
}

export interface DeliveryQueue {
  enqueue(trx: Transaction<Database>, tries: readonly DeliveryTry[]): Promise<void>;
}
