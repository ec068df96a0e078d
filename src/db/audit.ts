import type { Insertable, Kysely, Transaction } from 'kysely';
import { type AuditContent, auditHash } from '../domain/audit-chain.js';
import type { AuditEntriesTable, Database } from './schema.js';

export const guidelineChain = (guidelineId: string) => `guideline:${guidelineId}`;

/** Users, meetings and Governing Body sessions keep a chain each, for who changed them and how. */
export const recordChain = (kind: 'user' | 'meeting' | 'gb-session', id: string) => `${kind}:${id}`;

export type NewAuditEntry = Omit<AuditContent, 'seq'>;
export interface ChainHead {
  seq: number;
  hash: string | null;
}

/** The row that extends a chain from `head`, and the chain's new head. */
export function chainedEntry(
  entry: NewAuditEntry,
  head: ChainHead,
): { values: Insertable<AuditEntriesTable>; head: { seq: number; hash: string } } {
  const content: AuditContent = { ...entry, seq: head.seq + 1 };
  const hash = auditHash(content, head.hash);
  return {
    values: {
      chain: content.chain,
      seq: content.seq,
      guideline_id: content.guidelineId,
      actor_id: content.actorId,
      actor_role: content.actorRole as AuditEntriesTable['actor_role'],
      event_type: content.eventType,
      payload: JSON.stringify(content.payload),
      from_state: content.fromState,
      to_state: content.toState,
      version: content.version,
      occurred_at: content.occurredAt,
      prev_hash: head.hash,
      hash,
    },
    head: { seq: content.seq, hash },
  };
}

/**
 * Appends to a chain inside the caller's transaction. The caller holds the lock on the row that
 * keeps the chain's head (the guideline) and passes that head; unique (chain, seq) refuses a fork
 * all the same.
 */
export async function appendAuditEntry(
  trx: Transaction<Database>,
  entry: NewAuditEntry,
  lockedHead: ChainHead,
): Promise<{ seq: number; hash: string }> {
  const { values, head } = chainedEntry(entry, lockedHead);
  await trx.insertInto('audit_entries').values(values).execute();
  return head;
}

/**
 * The recorded head of a user:, meeting: or gb-session: chain, locked until the transaction ends so
 * that appends to one chain queue. The caller holds the record's own row lock (or just created it).
 */
export async function recordChainHead(
  trx: Transaction<Database>,
  chain: string,
): Promise<ChainHead> {
  const head = await trx
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('chain', '=', chain)
    .forUpdate()
    .executeTakeFirst();
  return head ?? { seq: 0, hash: null };
}

/** Records where a user:, meeting: or gb-session: chain now ends. */
export async function setRecordChainHead(
  trx: Transaction<Database>,
  chain: string,
  head: { seq: number; hash: string },
): Promise<void> {
  await trx
    .insertInto('audit_chain_heads')
    .values({ chain, seq: head.seq, hash: head.hash })
    .onConflict((oc) => oc.column('chain').doUpdateSet({ seq: head.seq, hash: head.hash }))
    .execute();
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
