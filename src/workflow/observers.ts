import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

// What the engine tells the rest of the system about an event it has written, inside the event's
// own transaction: notification delivery jobs, deadline timers and live-stream messages are rows of
// that transaction too, so none of them exists for an event that did not commit.

export interface WrittenEvent {
  guidelineId: string;
  /** The workflow event's type, as in SPEC section 2. */
  type: string;
  fromState: string;
  toState: string;
  /** The guideline's version after the event. */
  version: number;
  round: number;
  /** The guideline's nested state value, as the machine has it after the event. */
  stateValue: unknown;
  /** Who may see the guideline after the event (see domain/visibility). */
  ownerId: string;
  consultedRound: number;
  meetingId: string | null;
  gbSessionId: string | null;
  /** null for the system timer. */
  actorId: string | null;
  occurredAt: Date;
  /** The in-app notifications the event wrote, one per recipient. */
  notificationIds: readonly string[];
}

export interface EventObserver {
  /** Runs inside the event's transaction after its rows are written; throwing rolls it back. */
  written(trx: Transaction<Database>, event: WrittenEvent): Promise<void>;
  /** Notifications written without an event (a timer's reminders), inside their transaction. */
  notified?(trx: Transaction<Database>, notificationIds: readonly string[]): Promise<void>;
}
