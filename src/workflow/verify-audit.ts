import type { Kysely } from 'kysely';
import { readChain } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import { type ChainBreak, findChainBreak } from '../domain/audit-chain.js';

/** A chain that is sound in itself but ends elsewhere than its record says: entries were deleted. */
export type HeadBreak = { seq: number; problem: 'head_mismatch' };

export interface ChainReport {
  ok: boolean;
  chains: number;
  entries: number;
  /** The first entry that does not match, chain by chain in a stable order. */
  firstBreak: ((ChainBreak | HeadBreak) & { chain: string; entryId: number | null }) | null;
}

/**
 * The heads the records keep, by chain name: each guideline on its row (audit_seq, audit_hash), the
 * users, meetings and Governing Body sessions in audit_chain_heads.
 */
async function recordedHeads(db: Kysely<Database>, only?: readonly string[]) {
  const heads = new Map<string, { seq: number; hash: string | null }>();
  const ids = only
    ?.filter((c) => c.startsWith('guideline:'))
    .map((c) => c.slice('guideline:'.length));
  if (!ids || ids.length > 0) {
    let query = db.selectFrom('guidelines').select(['id', 'audit_seq', 'audit_hash']);
    if (ids) query = query.where('id', 'in', ids);
    for (const r of await query.execute()) {
      heads.set(`guideline:${r.id}`, { seq: r.audit_seq, hash: r.audit_hash });
    }
  }
  const records = only?.filter((c) => !c.startsWith('guideline:'));
  if (!records || records.length > 0) {
    let query = db.selectFrom('audit_chain_heads').select(['chain', 'seq', 'hash']);
    if (records) query = query.where('chain', 'in', records);
    for (const r of await query.execute()) heads.set(r.chain, { seq: r.seq, hash: r.hash });
  }
  return heads;
}

/**
 * Recomputes every chain (or the given ones) from the stored entries, and holds each chain to the
 * head its record keeps, so a deleted last entry (or a whole deleted chain) is found.
 */
export async function verifyAuditChains(
  db: Kysely<Database>,
  only?: readonly string[],
): Promise<ChainReport> {
  const heads = await recordedHeads(db, only);
  const chains =
    only ??
    [
      ...new Set([
        ...(await db.selectFrom('audit_entries').select('chain').distinct().execute()).map(
          (r) => r.chain,
        ),
        ...[...heads].filter(([, head]) => head.seq > 0).map(([chain]) => chain),
      ]),
    ].sort();
  let entries = 0;
  for (const chain of chains) {
    const stored = await readChain(db, chain);
    entries += stored.length;
    const broken = findChainBreak(stored);
    if (broken) {
      const entryId = stored.find((e) => e.seq === broken.seq)?.id ?? null;
      return {
        ok: false,
        chains: chains.length,
        entries,
        firstBreak: { ...broken, chain, entryId },
      };
    }
    // Every chain belongs to a record that keeps its head: a chain with none has lost it.
    const recorded = heads.get(chain) ?? { seq: 0, hash: null };
    const last = stored.at(-1);
    if (recorded.seq !== (last?.seq ?? 0) || recorded.hash !== (last?.hash ?? null)) {
      return {
        ok: false,
        chains: chains.length,
        entries,
        firstBreak: { seq: recorded.seq, problem: 'head_mismatch', chain, entryId: null },
      };
    }
  }
  return { ok: true, chains: chains.length, entries, firstBreak: null };
}
