import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

// The stored answers behind `Idempotency-Key`. A key is claimed before the request runs and
// completed with its answer before the answer is sent, so a retry finds either the answer or a
// request still running — never nothing after an acknowledged success.

/** How long a key is remembered: a retry later than this is a new request. */
export const keyLifetimeHours = 24;

/**
 * How long an unanswered claim holds its key. A request that has not stored its answer by then died
 * with its process (requests are bounded well below this), so the claim is released and a retry runs
 * again: what the dead request did not commit is redone; what it did commit is refused as usual by
 * the work itself (a taken e-mail, a stale version).
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
  | { kind: 'answered'; answer: StoredAnswer };

/** Claims a key for this request, or says what an earlier request with the same key left. */
export async function claimKey(db: Kysely<Database>, claim: KeyClaim): Promise<ClaimResult> {
  // An expired key is forgotten first, so its user can use it again.
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${keyLifetimeHours})`)
    .execute();
  // So is a claim left unanswered past its lease: its request died.
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('status', 'is', null)
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
  if (earlier.status === null) return { kind: 'in-progress' };
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

/** Gives a key back when its request failed in a way a retry may cure. */
export async function releaseKey(
  db: Kysely<Database>,
  claim: Pick<KeyClaim, 'userId' | 'key'>,
): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', claim.userId)
    .where('key', '=', claim.key)
    .where('status', 'is', null)
    .execute();
}
