import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

// A digest of where every audit chain ends, to be kept outside the system (SPEC section 2). It is
// computed from the entries as stored, not from the heads the records keep: whoever rewrites the
// past in the database (deleting or replacing entries, and the recorded heads with them) cannot
// make it match a digest published before.

export interface AuditHead {
  algorithm: 'sha256';
  digest: string;
  chains: number;
  heads: { chain: string; seq: number; hash: string }[];
}

/** The text the digest is taken over: one line "chain seq hash" per chain, chains in code-point order. */
export function headsText(heads: readonly { chain: string; seq: number; hash: string }[]): string {
  return heads.map((h) => `${h.chain} ${h.seq} ${h.hash}\n`).join('');
}

export async function auditHead(db: Kysely<Database>): Promise<AuditHead> {
  const rows = await db
    .selectFrom('audit_entries')
    .select(['chain', 'seq', 'hash'])
    .distinctOn('chain')
    .orderBy('chain')
    .orderBy('seq', 'desc')
    .execute();
  // Sorted here, by code points: the database's collation is not part of the contract.
  const heads = rows
    .map((r) => ({ chain: r.chain, seq: r.seq, hash: r.hash }))
    .sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : 0));
  const digest = createHash('sha256').update(headsText(heads)).digest('hex');
  return { algorithm: 'sha256', digest, chains: heads.length, heads };
}
