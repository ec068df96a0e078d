import type { Kysely, Transaction } from 'kysely';
import type { Database, TimerKind } from './schema.js';

// Timer rows: written with the event that opened their stage, fired one at a time by whichever
// worker claims them first, cancelled when their stage ends or their deadline moves.

export interface NewTimer {
  kind: TimerKind;
  guidelineId?: string | null;
  gbSessionId?: string | null;
  round?: number | null;
  dueAt: Date;
  offsetBefore: string | null;
}

export async function insertTimers(trx: Transaction<Database>, timers: readonly NewTimer[]) {
  if (timers.length === 0) return;
  await trx
    .insertInto('timers')
    .values(
      timers.map((t) => ({
        kind: t.kind,
        guideline_id: t.guidelineId ?? null,
        gb_session_id: t.gbSessionId ?? null,
        round: t.round ?? null,
        due_at: t.dueAt,
        offset_before: t.offsetBefore,
      })),
    )
    .execute();
}

/** Cancels the pending timers of a guideline (of the given kinds) or of a session. */
export async function cancelTimers(
  trx: Transaction<Database>,
  of: { guidelineId: string; kinds: readonly TimerKind[] } | { gbSessionId: string },
  now: Date,
): Promise<number> {
  // A timer a worker holds is skipped, not waited for: that worker waits for the guideline this
  // transaction holds (the other lock order would deadlock) and then finds its stage ended.
  let pending = trx
    .selectFrom('timers')
    .select('id')
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null);
  pending =
    'gbSessionId' in of
      ? pending.where('gb_session_id', '=', of.gbSessionId)
      : pending.where('guideline_id', '=', of.guidelineId).where('kind', 'in', [...of.kinds]);
  const result = await trx
    .updateTable('timers')
    .set({ cancelled_at: now })
    .where('id', 'in', pending.forUpdate().skipLocked())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Takes the earliest due timer no other worker holds, locked until `trx` ends: a second worker
 * skips it, and one that dies lets it go with its transaction.
 */
export function claimDueTimer(trx: Transaction<Database>, now: Date, skip: readonly string[] = []) {
  let query = trx
    .selectFrom('timers')
    .selectAll()
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .where('due_at', '<=', now);
  if (skip.length > 0) query = query.where('id', 'not in', [...skip]);
  return query.orderBy('due_at').orderBy('id').limit(1).forUpdate().skipLocked().executeTakeFirst();
}

export type TimerRow = NonNullable<Awaited<ReturnType<typeof claimDueTimer>>>;

export async function settleTimer(
  trx: Transaction<Database>,
  id: string,
  outcome: string,
  now: Date,
) {
  await trx
    .updateTable('timers')
    .set({ fired_at: now, outcome: outcome.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

/** Moves a timer whose deadline was found later than it (it fires then instead). */
export async function postponeTimer(trx: Transaction<Database>, id: string, dueAt: Date) {
  await trx.updateTable('timers').set({ due_at: dueAt }).where('id', '=', id).execute();
}

/** Counts a try that failed; the timer stays due, listed with its error. */
export async function recordTimerFailure(db: Kysely<Database>, id: string, error: string) {
  await db
    .updateTable('timers')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, 1000) }))
    .where('id', '=', id)
    .execute();
}

/** The pending timers, earliest first. */
export function upcomingTimers(db: Kysely<Database>, limit: number) {
  return db
    .selectFrom('timers')
    .select(['id', 'kind', 'guideline_id', 'gb_session_id', 'round', 'due_at', 'offset_before'])
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
