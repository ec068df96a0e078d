import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

// The stored answers behind `Idempotency-Key`. A key is claimed before the request runs and
// completed with its answer before the answer is sent, so a retry finds either the answer or a
// request still running — never nothing after an acknowledged success.

/** How long a key is remembered: a retry later than this is a new request. */
export const keyLifetimeHours = 24;

/**
 * How long an unanswered claim holds its key. A request that has not stored its answer by then died
 * with its process (requests are bounded well below this). If it committed a workflow event, the
 * event's own transaction recorded that on the key (`committed_*`), and a retry is answered from it;
 * otherwise the claim is released and a retry runs again.
 */
export const claimLeaseSeconds = 120;

export interface KeyClaim {
  userId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
}

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type ClaimResult =
  | { kind: 'claimed' }
  | { kind: 'other-request' }
  | { kind: 'in-progress' }
  | { kind: 'answered'; answer: StoredAnswer }
  /** The request is over without a stored answer, but the event it sent had committed. */
  | { kind: 'committed'; event: CommittedEvent };

/** The workflow event a request committed: the guideline and the version the event gave it. */
export interface CommittedEvent {
  guidelineId: string;
  version: number;
}

/** Claims a key for this request, or says what an earlier request with the same key left. */
export async function claimKey(db: Kysely<Database>, claim: KeyClaim): Promise<ClaimResult> {
  // An expired key is forgotten first, so its user can use it again.
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${keyLifetimeHours})`)
    .execute();
  // So is a claim left unanswered past its lease, its request dead, when nothing of it committed.
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('status', 'is', null)
    .where('committed_guideline_id', 'is', null)
    .where('created_at', '<', sql<Date>`now() - make_interval(secs => ${claimLeaseSeconds})`)
    .execute();
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({
      user_id: claim.userId,
      key: claim.key,
      method: claim.method,
      path: claim.path,
      request_hash: claim.requestHash,
    })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { kind: 'claimed' };
  const earlier = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .select(
      sql<boolean>`completed_at is not null or created_at < now() - make_interval(secs => ${claimLeaseSeconds})`.as(
        'over',
      ),
    )
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .executeTakeFirst();
  // Deleted between the insert and the read: the earlier request failed and gave the key back.
  if (!earlier) return claimKey(db, claim);
  if (
    earlier.request_hash !== claim.requestHash ||
    earlier.method !== claim.method ||
    earlier.path !== claim.path
  ) {
    return { kind: 'other-request' };
  }
  if (earlier.status === null) {
    const committed =
      earlier.committed_guideline_id !== null && earlier.committed_version !== null
        ? { guidelineId: earlier.committed_guideline_id, version: earlier.committed_version }
        : null;
    return committed && earlier.over
      ? { kind: 'committed', event: committed }
      : { kind: 'in-progress' };
  }
  return {
    kind: 'answered',
    answer: {
      status: earlier.status,
      headers: earlier.response_headers ?? {},
      body: earlier.response_body,
    },
  };
}

export async function completeKey(
  db: Kysely<Database>,
  claim: Pick<KeyClaim, 'userId' | 'key'>,
  answer: StoredAnswer,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      status: answer.status,
      response_headers: JSON.stringify(answer.headers),
      response_body: JSON.stringify(answer.body ?? null),
      completed_at: sql<Date>`now()`,
    })
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .execute();
}

/**
 * Gives a key back when its request failed in a way a retry may cure. A claim whose event committed
 * is kept, marked over, so that a retry is answered from that event instead of sending it again.
 */
export async function releaseKey(
  db: Kysely<Database>,
  claim: Pick<KeyClaim, 'userId' | 'key'>,
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('status', 'is', null)
    .where('committed_guideline_id', 'is', null)
    .execute();
  await db
    .updateTable('idempotency_keys')
    .set({ completed_at: sql<Date>`now()` })
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('status', 'is', null)
    .execute();
}

/**
 * Records on the claim, inside the transaction of the workflow event the request sends, that the
 * event committed: if the request dies before storing its answer, a retry finds this.
 */
export async function recordCommittedEvent(
  trx: Kysely<Database>,
  claim: Pick<KeyClaim, 'userId' | 'key'>,
  event: CommittedEvent,
): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ committed_guideline_id: event.guidelineId, committed_version: event.version })
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('status', 'is', null)
    .execute();
}
