import type { Account } from '../../db/schema.js';
import type { StreamEventRow } from '../../db/stream-events.js';
import { maySeeGuideline } from '../../domain/visibility.js';

// Who receives a stream row, and how it is framed on the wire (text/event-stream).

export type StreamReader = Pick<Account, 'id' | 'role' | 'active'>;

/** The same rules as every route: a notification to its recipient alone; a change to those who may see the guideline. */
export function mayReceive(reader: StreamReader, row: StreamEventRow): boolean {
  if (!reader.active) return false;
  if (row.kind === 'notification') return row.recipient_id === reader.id;
  if (row.owner_id === null) return false;
  return maySeeGuideline(reader, {
    ownerId: row.owner_id,
    consultedRound: row.consulted_round ?? 0,
  });
}

const framed = new WeakMap<StreamEventRow, string>();

/**
 * One SSE message; the payload is JSON on one line, so it needs one `data:` field. Framed once per
 * row, however many readers it goes to.
 */
export function frame(row: StreamEventRow): string {
  let text = framed.get(row);
  if (text === undefined) {
    text = `id: ${row.id}\nevent: ${row.kind}\ndata: ${JSON.stringify(row.payload)}\n\n`;
    framed.set(row, text);
  }
  return text;
}

/** A comment line: EventSource ignores it, proxies and clients see the connection alive. */
export const comment = (text: string) => `: ${text}\n\n`;
