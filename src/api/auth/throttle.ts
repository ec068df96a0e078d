import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

// Guessing passwords is slowed per account and per address, counted in the database so that every
// API process shares the count. An attempt is claimed in one statement BEFORE the slow password
// check, so simultaneous guesses cannot all slip past a count that is only raised afterwards.
//
// An address (the guesser) backs off: past `limit` attempts in a window, each further attempt waits
// twice as long as the one before, up to `maxPauseSeconds`. An account (which may be the
// secretariat's) is only paced: past `limit`, one attempt per `basePauseSeconds`, never a lock-out,
// so its owner still gets in from another address.

export interface ThrottlePolicy {
  limit: number;
  windowSeconds: number;
  basePauseSeconds: number;
  maxPauseSeconds: number;
}

export const accountPolicy: ThrottlePolicy = {
  limit: 5,
  windowSeconds: 900,
  basePauseSeconds: 60,
  maxPauseSeconds: 60,
};
// An address may be a whole meeting room behind one NAT (36 experts, the chair, observers and the
// secretariat), all signing in within the same minute: attempts are claimed before their outcome is
// known, so the limit must hold a room's simultaneous sign-ins, not just its failures.
export const addressPolicy: ThrottlePolicy = {
  limit: 60,
  windowSeconds: 900,
  basePauseSeconds: 30,
  maxPauseSeconds: 900,
};

/**
 * Claims one attempt for `key`: 0 when it may go ahead (and is counted), else the seconds to wait.
 * Atomic: the row lock of the upsert queues concurrent claims, and a paused key is not counted.
 */
export async function claimAttempt(
  db: Kysely<Database>,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<number> {
  const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000);
  const fresh = sql`(t.window_started_at < ${windowStart})`;
  const count = sql`(case when ${fresh} then 1 else t.failures + 1 end)`;
  // Past the limit, the pause doubles with each attempt (the exponent capped to keep it finite).
  const pause = sql`least(${policy.maxPauseSeconds}::float8,
    ${policy.basePauseSeconds}::float8 * power(2, least(greatest(${count} - ${policy.limit} - 1, 0), 20)))`;
  const claimed = await sql<{ failures: number }>`
    insert into login_throttle as t (key, failures, window_started_at, blocked_until)
    values (${key}, 1, ${now}, null)
    on conflict (key) do update set
      failures = ${count},
      window_started_at = case when ${fresh} then ${now}::timestamptz else t.window_started_at end,
      blocked_until = case when ${count} >= ${policy.limit}
        then ${now}::timestamptz + make_interval(secs => ${pause}) else null end
    where t.blocked_until is null or t.blocked_until <= ${now}
    returning failures
  `.execute(db);
  if (claimed.rows.length > 0) return 0;
  const row = await db
    .selectFrom('login_throttle')
    .select('blocked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  const until = row?.blocked_until?.getTime() ?? now.getTime();
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/**
 * Gives back an address's attempt that signed in: a shared address (an office behind one NAT) is
 * slowed by its failures, not by its colleagues' successful sign-ins.
 */
export async function refundAttempt(
  db: Kysely<Database>,
  key: string,
  policy: ThrottlePolicy,
): Promise<void> {
  await sql`
    update login_throttle set
      failures = greatest(failures - 1, 0),
      blocked_until = case when failures - 1 < ${policy.limit} then null else blocked_until end
    where key = ${key}
  `.execute(db);
}
