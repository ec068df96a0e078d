import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendStreamEvents, type NewStreamEvent } from '../../db/stream-events.js';
import type { EventObserver, WrittenEvent } from '../../workflow/observers.js';

// The engine's observer for the live stream: inside the event's transaction it writes one
// `guideline` message (what changed, never sealed content: no stance, no statement, no ballot) and
// one `notification` message per in-app notification the event wrote, then announces them at commit.

export function streamObserver(): EventObserver {
  return {
    async written(trx, event) {
      await appendStreamEvents(trx, await streamRowsOf(trx, event));
    },
  };
}

/** The stream rows of a written event, read inside its transaction. */
export async function streamRowsOf(
  trx: Transaction<Database>,
  event: WrittenEvent,
): Promise<NewStreamEvent[]> {
  const rows: NewStreamEvent[] = [
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
  ];
  if (event.notificationIds.length > 0) {
    const notifications = await trx
      .selectFrom('notifications')
      .select(['id', 'recipient_id', 'kind', 'guideline_id', 'title', 'body', 'data', 'created_at'])
      .where('id', 'in', [...event.notificationIds])
      .orderBy('id')
      .execute();
    for (const n of notifications) {
      rows.push({
        kind: 'notification',
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
      });
    }
  }
  return rows;
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
