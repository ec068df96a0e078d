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

/** The heads guidelines record (audit_seq, audit_hash), by chain name. */
async function recordedHeads(db: Kysely<Database>, only?: readonly string[]) {
  const ids = only
    ?.filter((c) => c.startsWith('guideline:'))
    .map((c) => c.slice('guideline:'.length));
  if (ids && ids.length === 0) return new Map<string, { seq: number; hash: string | null }>();
  let query = db.selectFrom('guidelines').select(['id', 'audit_seq', 'audit_hash']);
  if (ids) query = query.where('id', 'in', ids);
  const rows = await query.execute();
  return new Map(rows.map((r) => [`guideline:${r.id}`, { seq: r.audit_seq, hash: r.audit_hash }]));
}

/**
 * Recomputes every chain (or the given ones) from the stored entries, and holds each guideline chain
 * to the head its guideline records, so a deleted last entry (or a whole deleted chain) is found.
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
    const recorded = heads.get(chain);
    const last = stored.at(-1);
    if (recorded && (recorded.seq !== (last?.seq ?? 0) || recorded.hash !== (last?.hash ?? null))) {
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
