import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import { appendStreamEvents, signalStream } from '../../db/stream-events.js';
import { afterCommit } from '../../db/transaction.js';
import type { EventObserver } from '../../workflow/observers.js';
import type { StreamHub } from './hub.js';

// The engine's observer for the live stream: inside the event's transaction it writes one
// `guideline` message (what changed, never sealed content: no stance, no statement, no ballot) and
// one `notification` message per in-app notification the event (or a reminder) wrote; after the
// commit it tells a hub, which publishes them.

export interface StreamObserverOptions {
  /** This process's hub; without one (a worker, a test), every hub hears of it by NOTIFY. */
  hub?: Pick<StreamHub, 'committed'>;
  /** Where a lost NOTIFY is reported; without a logger it is thrown, so a test sees it. */
  logger?: Pick<Logger, 'warn'>;
}

export function streamObserver(options: StreamObserverOptions = {}): EventObserver {
  return {
    async written(trx, event) {
      await appendStreamEvents(trx, {
        guideline: {
          guidelineId: event.guidelineId,
          ownerId: event.ownerId,
          consultedRound: event.consultedRound,
          payload: guidelineMessage({
            id: event.guidelineId,
            state: event.toState,
            stateValue: event.stateValue,
            round: event.round,
            version: event.version,
            event: event.type,
            at: event.occurredAt,
          }),
        },
        notificationIds: event.notificationIds,
      });
      tellAfterCommit(trx, options);
    },
    async notified(trx, notificationIds) {
      await appendStreamEvents(trx, { notificationIds });
      tellAfterCommit(trx, options);
    },
  };
}

/** After the transaction commits, a hub publishes what it wrote; a lost signal only delays it. */
export function tellAfterCommit(trx: Transaction<Database>, options: StreamObserverOptions): void {
  const { hub, logger } = options;
  afterCommit(trx, async (db) => {
    if (hub) return hub.committed();
    try {
      await signalStream(db);
    } catch (err) {
      if (!logger) throw err;
      logger.warn({ err }, 'stream hubs were not told of a commit; their next beat will find it');
    }
  });
}

/** The whole of what a guideline message says: an explicit list, so nothing sealed slips in. */
export function guidelineMessage(change: {
  id: string;
  state: string;
  stateValue: unknown;
  round: number;
  version: number;
  event: string;
  at: Date;
}) {
  return {
    id: change.id,
    state: change.state,
    ...(change.stateValue === undefined ? {} : { stateValue: change.stateValue }),
    round: change.round,
    version: change.version,
    event: change.event,
    at: change.at.toISOString(),
  };
}
