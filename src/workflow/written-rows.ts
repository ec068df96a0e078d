import type { Kysely } from 'kysely';
import type { Database, GuidelineRow } from '../db/schema.js';

// The guideline rows this process has itself most recently committed, so that the next event on the
// same guideline can be decided without reading the row first.
//
// Safe because the engine never writes on a remembered row's word alone: its write statement holds
// only if the row is still that very tuple — PostgreSQL gives every update of a row a new xmin,
// whoever makes it, engine or not — and still at the version and chain head decided on. A row
// since changed by another process (or by hand) makes that write find nothing, and the engine goes
// the careful way: the row read under lock. A refusal decided on a remembered row is never given as
// such either: the engine decides again on a fresh read, so the caller always hears about the row
// as it is. Only committed rows are remembered, keyed by the database handle that committed them.

interface Remembered {
  row: GuidelineRow;
  /** The committed tuple's xmin, which the engine's guarded write requires unchanged. */
  xmin: string;
}

const LIMIT = 2048;
const byDatabase = new WeakMap<Kysely<Database>, Map<string, Remembered>>();

export function rememberedRow(db: Kysely<Database>, id: string): Remembered | undefined {
  return byDatabase.get(db)?.get(id);
}

/** Remembers a row the caller has just committed (as `db`'s own statement, not a transaction's). */
export function rememberRow(db: Kysely<Database>, row: GuidelineRow, xmin: string): void {
  if (db.isTransaction) return;
  let rows = byDatabase.get(db);
  if (!rows) {
    rows = new Map();
    byDatabase.set(db, rows);
  }
  // Two events of this process may finish out of order: the later row stays.
  const known = rows.get(row.id);
  if (known && known.row.audit_seq > row.audit_seq) return;
  rows.delete(row.id);
  rows.set(row.id, { row, xmin });
  if (rows.size > LIMIT) rows.delete(rows.keys().next().value as string);
}
