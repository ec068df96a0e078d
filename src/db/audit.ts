import { type Kysely, sql, type Transaction } from 'kysely';
import { type AuditContent, auditHash } from '../domain/audit-chain.js';
import type { Database } from './schema.js';

export const guidelineChain = (guidelineId: string) => `guideline:${guidelineId}`;

export type NewAuditEntry = Omit<AuditContent, 'seq'>;

/**
 * Appends to a chain inside the caller's transaction. The advisory lock orders writers of the same
 * chain (different chains never wait on each other); unique (chain, seq) refuses any fork anyway.
 */
export async function appendAuditEntry(
  trx: Transaction<Database>,
  entry: NewAuditEntry,
): Promise<{ seq: number; hash: string }> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${entry.chain}, 0))`.execute(trx);
  const last = await trx
    .selectFrom('audit_entries')
    .select(['seq', 'hash'])
    .where('chain', '=', entry.chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const content: AuditContent = { ...entry, seq: (last?.seq ?? 0) + 1 };
  const prevHash = last?.hash ?? null;
  const hash = auditHash(content, prevHash);
  await trx
    .insertInto('audit_entries')
    .values({
      chain: content.chain,
      seq: content.seq,
      guideline_id: content.guidelineId,
      actor_id: content.actorId,
      actor_role: content.actorRole as never,
      event_type: content.eventType,
      payload: JSON.stringify(content.payload),
      from_state: content.fromState,
      to_state: content.toState,
      version: content.version,
      occurred_at: content.occurredAt,
      prev_hash: prevHash,
      hash,
    })
    .execute();
  return { seq: content.seq, hash };
}

/** A chain's entries in order, in the shape the hash was computed over. */
export async function readChain(db: Kysely<Database>, chain: string) {
  const rows = await db
    .selectFrom('audit_entries')
    .selectAll()
    .where('chain', '=', chain)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    chain: r.chain,
    seq: r.seq,
    guidelineId: r.guideline_id,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    eventType: r.event_type,
    payload: r.payload,
    fromState: r.from_state,
    toState: r.to_state,
    version: r.version,
    occurredAt: r.occurred_at,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
}
