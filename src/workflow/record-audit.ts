import type { Transaction } from 'kysely';
import { appendAuditEntry, recordChain, recordChainHead, setRecordChainHead } from '../db/audit.js';
import type { Database, User } from '../db/schema.js';

/**
 * Records a change to a user, meeting or Governing Body session in that record's audit chain. The
 * caller holds the record's row lock (or created the row in this transaction). The chain's head is
 * recorded beside it, so a deletion of its last entries is found by the audit check.
 */
export async function auditRecordChange(
  trx: Transaction<Database>,
  change: {
    kind: 'user' | 'meeting' | 'gb-session';
    id: string;
    by: Pick<User, 'id' | 'role'>;
    eventType: string;
    payload: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  const chain = recordChain(change.kind, change.id);
  const head = await appendAuditEntry(
    trx,
    {
      chain,
      guidelineId: null,
      actorId: change.by.id,
      actorRole: change.by.role,
      eventType: change.eventType,
      payload: change.payload,
      fromState: null,
      toState: null,
      version: null,
      occurredAt: change.at,
    },
    await recordChainHead(trx, chain),
  );
  await setRecordChainHead(trx, chain, head);
}
