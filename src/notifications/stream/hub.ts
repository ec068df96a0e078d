import { type Kysely, sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import {
  latestStreamEventId,
  pruneStreamEvents,
  publishStreamEvents,
  type StreamEventRow,
  streamEventsAfter,
  streamEventsForReader,
} from '../../db/stream-events.js';
import { comment, frame, mayReceive, type StreamReader } from './messages.js';
import type { StreamSignal, StreamSource } from './sources.js';

// One hub per API process. It hears that rows were committed (its source), publishes them (gives
// them their ids; whichever hub comes first), reads every row after the last it has, and hands
// each to the connected readers allowed to see it. Readers are re-read
// from the database at each batch and each heartbeat — one query for all of them — so a
// deactivation or a change of role acts on an open stream too.

export interface StreamOutput {
  write(text: string): void;
  /** Ends the response; the reader may come back with Last-Event-ID. */
  close(): void;
}

export interface StreamConnection {
  /** Forgets the reader (their response closed). */
  end(): void;
}

export interface StreamHub {
  start(): Promise<void>;
  /** Stream rows were committed in this process: publish them, without a round trip to be told. */
  committed(): void;
  /** Registers a reader, replays what they missed after `lastEventId`, then streams live. */
  connect(
    readerId: string,
    out: StreamOutput,
    lastEventId: number | null,
  ): Promise<StreamConnection>;
  /** Readers connected to this process. */
  readonly size: number;
  stop(): Promise<void>;
}

export interface StreamHubOptions {
  db: Kysely<Database>;
  source: StreamSource;
  logger: Logger;
  /** A comment line this often; readers are re-checked at the same beat. */
  heartbeatMs: number;
  /** How far back resumption reaches; older rows are pruned. */
  retentionMs?: number;
  pruneEveryMs?: number;
  /**
   * The least time between two publications by this hub. Under load commits come faster than
   * publications finish; gathering them into fewer, larger ones spares the database a transaction
   * (and an fsync) per event, for a few milliseconds more before a message goes out.
   */
  publishGapMs?: number;
}

interface Reader {
  readerId: string;
  out: StreamOutput;
  /** The highest id decided for this reader (sent or withheld). */
  lastSent: number;
  /** While the reader's replay runs, live rows wait here. */
  waiting: StreamEventRow[] | null;
}

const PAGE = 500;

export function createStreamHub(options: StreamHubOptions): StreamHub {
  const { db, source, logger } = options;
  const readers = new Set<Reader>();
  let cursor = 0;
  let reading: Promise<void> | null = null;
  let again = false;
  // Whether rows may be waiting for an id: not when the signal was only another hub's publication.
  let publishWanted = false;
  let lastPublished = -Infinity;
  const publishGapMs = options.publishGapMs ?? 10;
  let timers: NodeJS.Timeout[] = [];

  const accounts = async (ids: Iterable<string>): Promise<Map<string, StreamReader>> => {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = await db
      .selectFrom('users')
      .select(['id', 'role', 'active'])
      // One array parameter however many readers: cheaper to bind and plan than a long IN list.
      .where(sql<boolean>`id = any(${wanted}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  };

  const drop = (reader: Reader) => {
    readers.delete(reader);
    reader.out.close();
  };

  const send = (reader: Reader, account: StreamReader, rows: readonly StreamEventRow[]) => {
    for (const row of rows) {
      if (row.id <= reader.lastSent) continue;
      reader.lastSent = row.id;
      if (mayReceive(account, row)) reader.out.write(frame(row));
    }
  };

  const deliver = async (rows: StreamEventRow[]) => {
    // Those connected now; one who connects during the read starts after these rows anyway
    // (their cursor, or their replay, is past them).
    const present = [...readers];
    if (present.length === 0) return;
    const fresh = await accounts(present.map((r) => r.readerId));
    for (const reader of present) {
      if (!readers.has(reader)) continue;
      if (reader.waiting) {
        reader.waiting.push(...rows);
        continue;
      }
      const account = fresh.get(reader.readerId);
      if (!account?.active) drop(reader);
      else send(reader, account, rows);
    }
  };

  const readNew = async () => {
    do {
      again = false;
      if (publishWanted) {
        const wait = lastPublished + publishGapMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        publishWanted = false;
        lastPublished = performance.now();
        await publishStreamEvents(db);
      }
      for (;;) {
        const rows = await streamEventsAfter(db, cursor, PAGE);
        if (rows.length === 0) break;
        cursor = rows[rows.length - 1]!.id;
        await deliver(rows);
        if (rows.length < PAGE) break;
      }
    } while (again);
  };

  /**
   * Coalesces signals: one read at a time, and one more if a signal came during it. A publication
   * this hub has already read past (its own, heard back) asks for nothing.
   */
  const signal: StreamSignal = (published) => {
    if (published === undefined) publishWanted = true;
    else if (published <= cursor) return;
    if (reading) {
      again = true;
      return;
    }
    reading = readNew()
      .catch((error: Error) => logger.error({ err: error }, 'stream hub could not read new rows'))
      .finally(() => {
        reading = null;
      });
  };

  const heartbeat = async () => {
    const present = [...readers];
    if (present.length === 0) return;
    const fresh = await accounts(present.map((r) => r.readerId));
    for (const reader of present) {
      if (!readers.has(reader)) continue;
      if (!fresh.get(reader.readerId)?.active) drop(reader);
      else reader.out.write(comment('heartbeat'));
    }
  };

  const replay = async (reader: Reader) => {
    for (;;) {
      const account = (await accounts([reader.readerId])).get(reader.readerId);
      if (!account?.active) return drop(reader);
      const rows = await streamEventsForReader(db, reader.readerId, reader.lastSent, PAGE);
      send(reader, account, rows);
      if (rows.length < PAGE) break;
    }
    // What arrived live meanwhile, once, in order: rows already replayed are skipped by id.
    while (reader.waiting && reader.waiting.length > 0) {
      const waiting = reader.waiting;
      reader.waiting = [];
      const account = (await accounts([reader.readerId])).get(reader.readerId);
      if (!account?.active) return drop(reader);
      send(reader, account, waiting);
    }
    reader.waiting = null;
  };

  return {
    async start() {
      cursor = await latestStreamEventId(db);
      await source.start(signal);
      // Rows committed while no hub listened (a process that died before telling) get their ids.
      signal();
      const beat = setInterval(() => {
        heartbeat().catch((error: Error) =>
          logger.error({ err: error }, 'stream heartbeat failed'),
        );
        // Also a safety net for a signal that never came.
        signal();
      }, options.heartbeatMs);
      const retention = options.retentionMs ?? 24 * 3600_000;
      const prune = setInterval(() => {
        pruneStreamEvents(db, new Date(Date.now() - retention)).catch((error: Error) =>
          logger.error({ err: error }, 'stream rows could not be pruned'),
        );
      }, options.pruneEveryMs ?? 3600_000);
      beat.unref();
      prune.unref();
      timers = [beat, prune];
    },

    committed: () => signal(),

    async connect(readerId, out, lastEventId) {
      const reader: Reader = {
        readerId,
        out,
        lastSent: lastEventId ?? cursor,
        waiting: lastEventId === null ? null : [],
      };
      readers.add(reader);
      if (reader.waiting) {
        try {
          await replay(reader);
        } catch (error) {
          readers.delete(reader);
          throw error;
        }
      }
      return { end: () => readers.delete(reader) };
    },

    get size() {
      return readers.size;
    },

    async stop() {
      for (const timer of timers) clearInterval(timer);
      timers = [];
      await source.stop();
      await reading;
      for (const reader of [...readers]) drop(reader);
    },
  };
}
