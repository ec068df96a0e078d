import { type Kysely, sql, type Transaction } from 'kysely';
import { type AuditContent, auditHash } from '../domain/audit-chain.js';
import type { Database } from './schema.js';

export const guidelineChain = (guidelineId: string) => `guideline:${guidelineId}`;

export type NewAuditEntry = Omit<AuditContent, 'seq'>;
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/**
 * Appends to a chain inside the caller's transaction. A caller that holds the lock on the row
 * keeping the chain's head (the engine, on the guideline) passes that head and stores the returned
 * one; otherwise an advisory lock orders writers of the chain and the head is read. Either way,
 * unique (chain, seq) refuses a fork.
 */
export async function appendAuditEntry(
  trx: Transaction<Database>,
  entry: NewAuditEntry,
  lockedHead?: ChainHead,
): Promise<{ seq: number; hash: string }> {
  const head = lockedHead ?? (await readHead(trx, entry.chain));
  const content: AuditContent = { ...entry, seq: head.seq + 1 };
  const hash = auditHash(content, head.hash);
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
      prev_hash: head.hash,
      hash,
    })
    .execute();
  return { seq: content.seq, hash };
}

async function readHead(trx: Transaction<Database>, chain: string): Promise<ChainHead> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${chain}, 0))`.execute(trx);
  const last = await trx
    .selectFrom('audit_entries')
    .select(['seq', 'hash'])
    .where('chain', '=', chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { seq: last?.seq ?? 0, hash: last?.hash ?? null };
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
