import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { isConnectionLoss } from './connection-loss.js';

// Kysely sends every query as an unnamed statement, so PostgreSQL parses and plans it each time; on
// the engine's short transactions planning is most of the server's work. This pool hands Kysely
// clients that name each parameterised statement by a hash of its text, so the pg driver prepares it
// once per connection and PostgreSQL reuses the plan. Statements without parameters (BEGIN, COMMIT,
// DDL) are left alone, and each connection prepares a bounded number of texts (Kysely can generate
// unbounded variety, such as IN lists of every length).

const MAX_PREPARED_PER_CONNECTION = 200;

/**
 * What one pool knows of its connections: the statements each has prepared, the ones to close on
 * release. It lives and dies with the pool (created with it in db/connect.ts), never per process.
 */
interface PoolMemory {
  /** Statement text → its name, so a text is hashed once. */
  names: Map<string, string>;
  preparedBy: WeakMap<pg.PoolClient, Set<string>>;
  discarded: WeakSet<pg.PoolClient>;
  /** Clients that have listened for their own 'error' since they were opened. */
  listened: WeakSet<pg.PoolClient>;
}

function nameOf(memory: PoolMemory, text: string): string {
  let name = memory.names.get(text);
  if (!name) {
    name = `k${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (memory.names.size < 10_000) memory.names.set(text, name);
  }
  return name;
}

function statementName(
  memory: PoolMemory,
  client: pg.PoolClient,
  text: string,
): string | undefined {
  let prepared = memory.preparedBy.get(client);
  if (!prepared) {
    prepared = new Set();
    memory.preparedBy.set(client, prepared);
  }
  const name = nameOf(memory, text);
  if (prepared.has(name)) return name;
  if (prepared.size >= MAX_PREPARED_PER_CONNECTION) return undefined;
  prepared.add(name);
  return name;
}

/** 0A000 "cached plan must not change result type": a table's columns changed under a statement. */
const planInvalidated = (error: unknown) =>
  (error as { code?: string }).code === '0A000' &&
  /cached plan/.test(String((error as Error).message));

function preparingClient(memory: PoolMemory, client: pg.PoolClient): PostgresPoolClient {
  // A statement that failed because its connection is gone (the server sends its FATAL before the
  // socket closes, so the client's 'error' can come after the release) or because DDL on a live
  // pool (migrations, tests) changed a table under a prepared statement: the statement fails as it
  // would have; the connection is closed at its release rather than handed to the next request.
  const discardIfBroken = (error: unknown) => {
    if (planInvalidated(error) || isConnectionLoss(error)) memory.discarded.add(client);
    throw error;
  };
  const query = (text: unknown, parameters?: readonly unknown[]) => {
    if (typeof text !== 'string' || !parameters || parameters.length === 0) {
      // Also Kysely's cursors, which are not promises.
      const result = client.query(text as string, parameters as unknown[]);
      return result instanceof Promise ? result.catch(discardIfBroken) : result;
    }
    const values = parameters as unknown[];
    const name = statementName(memory, client, text);
    if (!name) return client.query(text, values).catch(discardIfBroken);
    return client.query({ name, text, values }).catch(discardIfBroken);
  };
  return {
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy || memory.discarded.has(client)),
  };
}

/**
 * A connection that ends under a checked-out client (the server restarted, an administrator ended
 * the backend) makes the client emit 'error'; the pool listens only while a client is idle, and an
 * 'error' nobody listens for ends the process. The query in flight fails by itself and its request
 * is answered 503 (db/connection-loss.ts); here the client is only marked, so that its release
 * closes it and the pool opens a fresh connection for the next request.
 */
function listenForLoss(memory: PoolMemory, client: pg.PoolClient): void {
  if (memory.listened.has(client)) return;
  memory.listened.add(client);
  client.on('error', () => memory.discarded.add(client));
}

export function preparingPool(pool: pg.Pool): PostgresPool {
  const memory: PoolMemory = {
    names: new Map(),
    preparedBy: new WeakMap(),
    discarded: new WeakSet(),
    listened: new WeakSet(),
  };
  return {
    connect: async () => {
      const client = await pool.connect();
      listenForLoss(memory, client);
      return preparingClient(memory, client);
    },
    end: () => pool.end(),
    options: pool.options,
  };
}
