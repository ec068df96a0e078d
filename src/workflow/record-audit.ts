import type { Transaction } from 'kysely';
import { appendAuditEntry, chainHead, recordChain } from '../db/audit.js';
import type { Database, User } from '../db/schema.js';

/**
 * Records a change to a user, meeting or Governing Body session in that record's audit chain. The
 * caller holds the record's row lock (or created the row in this transaction).
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
  await appendAuditEntry(
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
    await chainHead(trx, chain),
  );
}
