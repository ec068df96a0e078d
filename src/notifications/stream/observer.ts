import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import { appendStreamEvents, type NewStreamEvent } from '../../db/stream-events.js';
import type { EventObserver, WrittenEvent } from '../../workflow/observers.js';

// The engine's observer for the live stream: inside the event's transaction it writes one
// `guideline` message (what changed, never sealed content: no stance, no statement, no ballot) and
// one `notification` message per in-app notification the event (or a reminder) wrote; after the
// commit the hubs are told, and publish them.

export function streamObserver(options: { logger?: Pick<Logger, 'warn'> } = {}): EventObserver {
  const { logger } = options;
  // Without a logger (a test), a lost signal is thrown, so it is seen.
  const onSignalError = logger
    ? (err: unknown) =>
        logger.warn({ err }, 'stream hubs were not told of a commit; their next beat will find it')
    : undefined;
  return {
    async written(trx, event) {
      await appendStreamEvents(trx, await streamRowsOf(trx, event), onSignalError);
    },
    async notified(trx, notificationIds) {
      await appendStreamEvents(trx, await notificationRows(trx, notificationIds), onSignalError);
    },
  };
}

/** The stream rows of a written event, read inside its transaction. */
export async function streamRowsOf(
  trx: Transaction<Database>,
  event: WrittenEvent,
): Promise<NewStreamEvent[]> {
  return [
    {
      kind: 'guideline',
      guideline_id: event.guidelineId,
      owner_id: event.ownerId,
      consulted_round: event.consultedRound,
      payload: JSON.stringify(
        guidelineMessage({
          id: event.guidelineId,
          state: event.toState,
          stateValue: event.stateValue,
          round: event.round,
          version: event.version,
          event: event.type,
          at: event.occurredAt,
        }),
      ),
    },
    ...(await notificationRows(trx, event.notificationIds)),
  ];
}

/** One `notification` message per in-app notification, for its recipient alone. */
async function notificationRows(
  trx: Transaction<Database>,
  ids: readonly string[],
): Promise<NewStreamEvent[]> {
  if (ids.length === 0) return [];
  const notifications = await trx
    .selectFrom('notifications')
    .select(['id', 'recipient_id', 'kind', 'guideline_id', 'title', 'body', 'data', 'created_at'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .execute();
  return notifications.map((n) => ({
    kind: 'notification' as const,
    guideline_id: n.guideline_id,
    recipient_id: n.recipient_id,
    payload: JSON.stringify({
      id: n.id,
      kind: n.kind,
      guidelineId: n.guideline_id,
      title: n.title,
      body: n.body,
      data: n.data,
      createdAt: new Date(n.created_at).toISOString(),
    }),
  }));
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
