import type { Kysely } from 'kysely';
import { readChain } from '../db/audit.js';
import type { Database } from '../db/schema.js';
import { type ChainBreak, findChainBreak } from '../domain/audit-chain.js';

export interface ChainReport {
  ok: boolean;
  chains: number;
  entries: number;
  /** The first entry that does not match, chain by chain in a stable order. */
  firstBreak: (ChainBreak & { chain: string; entryId: number | null }) | null;
}

/** Recomputes every chain (or the given ones) from the stored entries. */
export async function verifyAuditChains(
  db: Kysely<Database>,
  only?: readonly string[],
): Promise<ChainReport> {
  const chains =
    only ??
    (
      await db.selectFrom('audit_entries').select('chain').distinct().orderBy('chain').execute()
    ).map((r) => r.chain);
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
  }
  return { ok: true, chains: chains.length, entries, firstBreak: null };
}
