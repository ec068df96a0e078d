import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Logger } from 'pino';
import { streamChannel } from '../../db/stream-events.js';

// Where a hub hears that stream rows were committed or published. A signal carries at most the
// highest id just published: the hub reads every row after the last it has, so a lost or merged
// signal delays a message and never loses it.

/** `published` is the highest id a publisher announced; undefined when rows may wait for an id. */
export type StreamSignal = (published?: number) => void;

const publishedOf = (payload: string | undefined) =>
  payload && /^\d+$/.test(payload) ? Number(payload) : undefined;

export interface StreamSource {
  /** Starts listening; `signal` is called after each commit that wrote rows, and after a reconnection. */
  start(signal: StreamSignal): Promise<void>;
  stop(): Promise<void>;
}

/**
 * PostgreSQL: a dedicated connection (LISTEN holds it for good, so it cannot come from the pool)
 * that reconnects after a drop, with a growing pause, and then signals once to catch up on what
 * was committed meanwhile.
 */
export function postgresStreamSource(
  url: string,
  logger: Logger,
  options: { retryMs?: { first: number; max: number } } = {},
): StreamSource {
  const retry = options.retryMs ?? { first: 100, max: 5_000 };
  let client: pg.Client | null = null;
  let stopped = false;
  let pause = retry.first;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (signal: StreamSignal): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === streamChannel) signal(publishedOf(message.payload));
    });
    const lost = (error?: Error) => {
      if (client !== next || stopped) return;
      client = null;
      logger.warn({ err: error }, 'stream listener lost its connection; reconnecting');
      next.end().catch(() => {});
      schedule(signal);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    client = next;
    await next.connect();
    await next.query(`listen ${streamChannel}`);
    pause = retry.first;
  };

  const schedule = (signal: StreamSignal) => {
    timer = setTimeout(() => {
      connect(signal)
        .then(() => {
          logger.info('stream listener reconnected');
          signal();
        })
        .catch((error: Error) => {
          if (client) client.end().catch(() => {});
          client = null;
          if (stopped) return;
          logger.warn({ err: error, retryInMs: pause }, 'stream listener cannot reconnect yet');
          pause = Math.min(pause * 2, retry.max);
          schedule(signal);
        });
    }, pause);
    timer.unref();
  };

  return {
    start: (signal) => connect(signal),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => {});
    },
  };
}

/** The embedded database: PGlite delivers NOTIFY in-process, after commit, to `listen()`. */
export function pgliteStreamSource(pglite: PGlite): StreamSource {
  let unlisten: (() => Promise<void>) | null = null;
  return {
    async start(signal) {
      unlisten = await pglite.listen(streamChannel, (payload) => signal(publishedOf(payload)));
    },
    async stop() {
      const current = unlisten;
      unlisten = null;
      if (current && !pglite.closed) await current();
    },
  };
}
