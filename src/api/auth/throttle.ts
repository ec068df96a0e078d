import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

// Guessing passwords is slowed per account and per address, counted in the database so that every
// API process shares the count. A key that fails `limit` times within `windowSeconds` is blocked for
// `blockSeconds`.

export interface ThrottlePolicy {
  limit: number;
  windowSeconds: number;
  blockSeconds: number;
}

export const accountPolicy: ThrottlePolicy = { limit: 5, windowSeconds: 900, blockSeconds: 900 };
export const addressPolicy: ThrottlePolicy = { limit: 20, windowSeconds: 900, blockSeconds: 900 };

/** Seconds until none of the keys is blocked (0 when free to try). */
export async function blockedFor(
  db: Kysely<Database>,
  keys: readonly string[],
  now: Date,
): Promise<number> {
  const rows = await db
    .selectFrom('login_throttle')
    .select('blocked_until')
    .where('key', 'in', keys)
    .where('blocked_until', '>', now)
    .execute();
  const until = Math.max(0, ...rows.map((r) => r.blocked_until?.getTime() ?? 0));
  return until > now.getTime() ? Math.ceil((until - now.getTime()) / 1000) : 0;
}

export async function recordFailure(
  db: Kysely<Database>,
  key: string,
  policy: ThrottlePolicy,
  now: Date,
): Promise<void> {
  const windowStart = new Date(now.getTime() - policy.windowSeconds * 1000);
  const blockUntil = new Date(now.getTime() + policy.blockSeconds * 1000);
  // One statement: a stale window starts again at 1; reaching the limit sets the block.
  await sql`
    insert into login_throttle as t (key, failures, window_started_at, blocked_until)
    values (${key}, 1, ${now}, ${policy.limit <= 1 ? blockUntil : null})
    on conflict (key) do update set
      failures = case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end,
      window_started_at = case when t.window_started_at < ${windowStart} then ${now} else t.window_started_at end,
      blocked_until = case
        when (case when t.window_started_at < ${windowStart} then 1 else t.failures + 1 end) >= ${policy.limit}
        then ${blockUntil}::timestamptz else t.blocked_until end
  `.execute(db);
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
