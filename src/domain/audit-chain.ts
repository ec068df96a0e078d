import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

// Each audit entry's hash covers its own canonical content together with the previous entry's
// hash, so changing, removing or reordering any entry breaks every hash after it.

export interface AuditContent {
  chain: string;
  seq: number;
  guidelineId: string | null;
  actorId: string | null;
  actorRole: string | null;
  eventType: string;
  payload: Record<string, unknown>;
  fromState: string | null;
  toState: string | null;
  version: number | null;
  occurredAt: Date;
}

/** Hashes exactly the content fields, whatever else the object given carries (a row id, say). */
export function auditHash(c: AuditContent, prevHash: string | null): string {
  const content: Record<keyof AuditContent, unknown> = {
    chain: c.chain,
    seq: c.seq,
    guidelineId: c.guidelineId,
    actorId: c.actorId,
    actorRole: c.actorRole,
    eventType: c.eventType,
    payload: c.payload,
    fromState: c.fromState,
    toState: c.toState,
    version: c.version,
    occurredAt: c.occurredAt.toISOString(),
  };
  return createHash('sha256')
    .update(canonicalJson({ prevHash, ...content }))
    .digest('hex');
}

export type ChainBreak = { seq: number; problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'gap' };

/** Recomputes a chain given in seq order; null when it is intact, else the first entry that fails. */
export function findChainBreak(
  entries: readonly (AuditContent & { prevHash: string | null; hash: string })[],
): ChainBreak | null {
  let prev: string | null = null;
  for (const [index, entry] of entries.entries()) {
    if (entry.seq !== index + 1) return { seq: entry.seq, problem: 'gap' };
    if (entry.prevHash !== prev) return { seq: entry.seq, problem: 'prev_hash_mismatch' };
    if (auditHash(entry, prev) !== entry.hash) return { seq: entry.seq, problem: 'hash_mismatch' };
    prev = entry.hash;
  }
  return null;
}
