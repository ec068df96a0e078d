import type { Kysely } from 'kysely';
import type { Database, User } from '../../src/db/schema.js';
import { publishStreamEvents } from '../../src/db/stream-events.js';
import { inTransaction } from '../../src/db/transaction.js';
import { actorOf } from '../../src/domain/permissions.js';
import { streamObserver } from '../../src/notifications/stream/observer.js';
import { applyEvent } from '../../src/workflow/apply-event.js';
import type { GuidelineCommand } from '../../src/workflow/events/index.js';
import { bearer } from './api.js';
import type { Review } from './review.js';

// A Server-Sent Events reader over fetch, and an event applied with the stream observer inside its
// own transaction — as the engine will once it calls its observers.

export interface StreamMessage {
  id?: string;
  event: string;
  data?: unknown;
  /** A comment line (heartbeat, connected). */
  comment?: string;
}

export interface StreamReader {
  status: number;
  headers: Headers;
  /** The problem document of a refusal. */
  problem?: unknown;
  /** The next message matching `wanted`, skipping the others; rejects after `timeoutMs` (a safety net). */
  next(wanted?: (m: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  /** Every message received so far, in order. */
  readonly received: readonly StreamMessage[];
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export const isData = (m: StreamMessage) => m.comment === undefined && m.event !== 'retry';

export async function openStream(
  base: { url: string },
  options: {
    as?: { id: string };
    ticket?: string;
    lastEventId?: string;
    query?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<StreamReader> {
  const params = new URLSearchParams();
  if (options.ticket) params.set('ticket', options.ticket);
  if (options.query) params.set('lastEventId', options.query);
  const controller = new AbortController();
  const response = await fetch(`${base.url}/api/v1/stream${params.size ? `?${params}` : ''}`, {
    headers: {
      ...(options.as ? bearer(options.as) : {}),
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
      ...options.headers,
    },
    signal: controller.signal,
  });
  if (response.status !== 200) {
    // A refusal is a problem document: read it whole, as a client would, freeing the connection.
    const problem = await response.json();
    return {
      status: response.status,
      headers: response.headers,
      problem,
      received: [],
      ended: Promise.resolve(),
      close: () => {},
      next: () => Promise.reject(new Error(`the stream was refused with ${response.status}`)),
    };
  }
  const received: StreamMessage[] = [];
  let waiter: (() => void) | null = null;
  const wake = () => {
    const w = waiter;
    waiter = null;
    w?.();
  };
  let finished = false;
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let at = buffer.indexOf('\n\n');
        while (at >= 0) {
          received.push(parseBlock(buffer.slice(0, at)));
          buffer = buffer.slice(at + 2);
          at = buffer.indexOf('\n\n');
        }
        wake();
      }
    } catch {
      // Aborted by close().
    } finally {
      finished = true;
      wake();
    }
  })();
  let read = 0;
  return {
    status: response.status,
    headers: response.headers,
    received,
    ended,
    close: () => controller.abort(),
    async next(wanted = isData, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (read < received.length) {
          const m = received[read++]!;
          if (wanted(m)) return m;
        }
        if (finished) throw new Error('the stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no such message within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
  };
}

function parseBlock(block: string): StreamMessage {
  const message: StreamMessage = { event: 'message' };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) message.id = line.slice(4);
    else if (line.startsWith('event: ')) message.event = line.slice(7);
    else if (line.startsWith('data: ')) message.data = JSON.parse(line.slice(6));
    else if (line.startsWith('retry: ')) message.event = 'retry';
  }
  return message;
}

/** Opens a stream and waits until the server has registered it. */
export async function connectedStream(
  ...args: Parameters<typeof openStream>
): Promise<StreamReader> {
  const stream = await openStream(...args);
  if (stream.status === 200) await stream.next((m) => m.comment === 'connected');
  return stream;
}

class RolledBack extends Error {}

/**
 * Applies an event and runs the stream observer in one transaction, as the engine will. For events
 * the engine writes in one statement (not those that lock the row: opening a vote, resubmitting).
 */
export async function actWithStream(
  review: Review,
  guidelineId: string,
  command: GuidelineCommand,
  by: User,
  options: { rollBack?: boolean } = {},
) {
  const observer = streamObserver();
  try {
    const applied = await inTransaction(review.db, async (trx) => {
      const applied = await applyEvent(
        { db: trx, clock: review.clock },
        guidelineId,
        command,
        actorOf(by),
      );
      const notificationIds = await notificationsOf(trx, guidelineId, applied.guideline.version);
      await observer.written(trx, {
        guidelineId,
        type: command.type,
        fromState: applied.fromState,
        toState: applied.toState,
        version: applied.guideline.version,
        round: applied.guideline.round,
        stateValue: applied.snapshot.value,
        ownerId: applied.guideline.owner_id,
        consultedRound: applied.guideline.consulted_round,
        meetingId: applied.guideline.meeting_id,
        gbSessionId: applied.guideline.gb_session_id,
        actorId: by.id,
        occurredAt: review.clock.now(),
        notificationIds,
      });
      if (options.rollBack) throw new RolledBack();
      return { ...applied, notificationIds };
    });
    // Numbered now rather than when the hub hears of it, so the caller can read the rows at once.
    await publishStreamEvents(review.db);
    return applied;
  } catch (error) {
    if (error instanceof RolledBack) return null;
    throw error;
  }
}

async function notificationsOf(db: Kysely<Database>, guidelineId: string, version: number) {
  const rows = await db
    .selectFrom('notifications')
    .select('id')
    .where('dedupe_key', 'like', `${guidelineId}:${version}:%`)
    .execute();
  return rows.map((r) => r.id);
}
