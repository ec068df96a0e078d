import type { Kysely, Transaction } from 'kysely';
import type { Database, TimerKind } from '../db/schema.js';
import {
  cancelTimers,
  claimDueTimer,
  insertTimers,
  postponeTimer,
  recordTimerFailure,
  settleTimer,
  type TimerRow,
} from '../db/timers.js';
import { inTransaction } from '../db/transaction.js';
import { timerPlan } from '../domain/timer-plan.js';
import { applyEvent, type EngineDependencies } from './apply-event.js';
import { EventNotAllowed, GuidelineNotFound } from './errors.js';
import type { EventObserver } from './observers.js';

// Deadlines and reminders (SPEC section 5). Timers are rows of the transaction that opened their
// stage (the observer below), so none exists for a stage that did not open and none is lost by a
// crash. Firing claims one due timer at a time, in scenario time: a deadline goes through the engine
// as the system's own event; a reminder reaches only those who have not acted yet.

const stages = {
  consultation: {
    deadline: 'consultation_deadline',
    reminder: 'consultation_reminder',
    column: 'consultation_deadline',
    event: 'CONSULTATION_DEADLINE',
  },
  voting: {
    deadline: 'vote_deadline',
    reminder: 'vote_reminder',
    column: 'vote_deadline',
    event: 'VOTE_DEADLINE',
  },
} as const;
type Stage = keyof typeof stages;

const isStage = (state: string): state is Stage => state in stages;
const kindsOf = (stage: Stage): TimerKind[] => [stages[stage].deadline, stages[stage].reminder];
const stageOfKind = (kind: TimerKind): Stage | null =>
  (Object.keys(stages) as Stage[]).find((stage) => kindsOf(stage).includes(kind)) ?? null;

/** Offsets of the Governing Body's document deadline reminders (sessions have no setting). */
export const gbReminderOffsets = ['P7D', 'P1D'] as const;

/** The engine's observer: a stage that opens gets its timers; one that ends loses those left. */
export function timerObserver(): EventObserver {
  return {
    async written(trx, event) {
      if (event.fromState === event.toState) return;
      if (isStage(event.fromState)) {
        await cancelTimers(
          trx,
          { guidelineId: event.guidelineId, kinds: kindsOf(event.fromState) },
          event.occurredAt,
        );
      }
      if (isStage(event.toState) && event.meetingId) {
        await scheduleStage(trx, {
          guidelineId: event.guidelineId,
          stage: event.toState,
          round: event.round,
          meetingId: event.meetingId,
          now: event.occurredAt,
        });
      }
    },
  };
}

async function scheduleStage(
  trx: Transaction<Database>,
  at: { guidelineId: string; stage: Stage; round: number; meetingId: string; now: Date },
) {
  const { column, deadline, reminder } = stages[at.stage];
  const meeting = await trx
    .selectFrom('meetings')
    .select([column, 'reminder_offsets'])
    .where('id', '=', at.meetingId)
    // A deadline being moved meanwhile is waited for, so this stage gets the new one.
    .forShare()
    .executeTakeFirst();
  const due = meeting?.[column];
  // A deadline already past (a second round, a second vote) closes nothing by itself: the stage
  // waits for the secretariat, or for a new deadline, which rewrites the timers.
  if (!meeting || !due || new Date(due) <= at.now) return;
  await insertTimers(
    trx,
    timerPlan(new Date(due), meeting.reminder_offsets, at.now).map((t) => ({
      kind: t.offsetBefore ? reminder : deadline,
      guidelineId: at.guidelineId,
      round: at.round,
      dueAt: t.dueAt,
      offsetBefore: t.offsetBefore,
    })),
  );
}

/**
 * After a meeting's deadlines or reminder offsets changed (in that transaction): the open stages
 * of its guidelines lose their pending timers and get new ones from the meeting as it is now.
 */
export async function rescheduleMeeting(trx: Transaction<Database>, meetingId: string, now: Date) {
  const open = await trx
    .selectFrom('guidelines')
    .select(['id', 'state', 'round'])
    .where('meeting_id', '=', meetingId)
    .where('state', 'in', ['consultation', 'voting'] as const)
    .execute();
  for (const g of open) {
    if (!isStage(g.state)) continue;
    await cancelTimers(trx, { guidelineId: g.id, kinds: kindsOf(g.state) }, now);
    await scheduleStage(trx, { guidelineId: g.id, stage: g.state, round: g.round, meetingId, now });
  }
}

/** A session's document deadline reminders, (re)written when it is created or its deadline moves. */
export async function scheduleGbSession(
  trx: Transaction<Database>,
  session: { id: string; documentDeadline: Date },
  now: Date,
) {
  await cancelTimers(trx, { gbSessionId: session.id }, now);
  await insertTimers(
    trx,
    timerPlan(session.documentDeadline, gbReminderOffsets, now)
      .filter((t) => t.offsetBefore !== null)
      .map((t) => ({
        kind: 'gb_document_reminder' as const,
        gbSessionId: session.id,
        dueAt: t.dueAt,
        offsetBefore: t.offsetBefore,
      })),
  );
}

/** The engine's own dependencies: a deadline's event, and a reminder's notifications, reach its observers. */
export interface TimerDeps extends EngineDependencies {
  onError?: ((error: unknown, timer: { id: string; kind: string }) => void) | undefined;
}

export interface FiredTimer {
  id: string;
  kind: TimerKind;
  guidelineId: string | null;
  gbSessionId: string | null;
  dueAt: Date;
  outcome: string;
}

/**
 * Fires every timer due by the clock's now, earliest first, each in its own transaction. A timer
 * that fails on a database error is left due (counted, its error kept): the next pass tries it again.
 */
export async function fireDueTimers(deps: TimerDeps, limit = 1000): Promise<FiredTimer[]> {
  const fired: FiredTimer[] = [];
  const failed: string[] = [];
  while (fired.length < limit) {
    let claimed: TimerRow | undefined;
    try {
      const result = await inTransaction(deps.db, async (trx) => {
        const now = deps.clock.now();
        claimed = await claimDueTimer(trx, now, failed);
        if (!claimed) return 'none' as const;
        const outcome = await fire({ ...deps, db: trx }, trx, claimed, now);
        if (outcome !== null) await settleTimer(trx, claimed.id, outcome, now);
        return { outcome };
      });
      if (result === 'none') break;
      if (result.outcome !== null && claimed) {
        fired.push({
          id: claimed.id,
          kind: claimed.kind,
          guidelineId: claimed.guideline_id,
          gbSessionId: claimed.gb_session_id,
          dueAt: new Date(claimed.due_at),
          outcome: result.outcome,
        });
      }
    } catch (error) {
      if (!claimed) throw error;
      deps.onError?.(error, claimed);
      await recordTimerFailure(deps.db, claimed.id, String((error as Error)?.message ?? error));
      // The others still fire; this one is tried again on the next pass, however many it takes.
      failed.push(claimed.id);
    }
  }
  return fired;
}

/** One timer's work; null when it was moved to a later deadline instead. */
async function fire(
  deps: TimerDeps,
  trx: Transaction<Database>,
  timer: TimerRow,
  now: Date,
): Promise<string | null> {
  if (timer.kind === 'gb_document_reminder') return remindOfDocumentDeadline(deps, trx, timer);
  const stage = stageOfKind(timer.kind);
  // Locked as an event would: a position or a close committing now is seen before acting on it.
  const guideline = timer.guideline_id
    ? await trx
        .selectFrom('guidelines')
        .select(['id', 'title', 'state', 'round', 'meeting_id'])
        .where('id', '=', timer.guideline_id)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!stage || !guideline) return 'not applied: the guideline is gone';
  if (guideline.state !== stage || guideline.round !== timer.round) {
    return `not applied: the guideline is in ${guideline.state}, round ${guideline.round}`;
  }
  const meeting = guideline.meeting_id
    ? await trx
        .selectFrom('meetings')
        .select(['consultation_deadline', 'vote_deadline'])
        .where('id', '=', guideline.meeting_id)
        .executeTakeFirst()
    : undefined;
  const deadline = meeting?.[stages[stage].column];
  if (!deadline) return 'not applied: the meeting has no deadline any more';

  if (timer.kind === stages[stage].deadline) {
    // A deadline moved later without its timer being rewritten fires at the new time instead.
    if (new Date(deadline) > now) {
      await postponeTimer(trx, timer.id, new Date(deadline));
      return null;
    }
    try {
      const applied = await applyEvent(
        { db: trx, clock: deps.clock, observers: deps.observers },
        guideline.id,
        { type: stages[stage].event },
        { kind: 'system' },
      );
      return `applied: ${applied.fromState} → ${applied.toState}`;
    } catch (error) {
      if (error instanceof EventNotAllowed || error instanceof GuidelineNotFound) {
        return `not applied: ${error.message}`;
      }
      throw error;
    }
  }
  return remind(deps, trx, timer, { ...guideline, stage, deadline: new Date(deadline) });
}

const dueText = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A stage's reminder, to those who have not acted: spokespersons without a position, voters. */
async function remind(
  deps: TimerDeps,
  trx: Transaction<Database>,
  timer: TimerRow,
  g: {
    id: string;
    title: string;
    round: number;
    meeting_id: string | null;
    stage: Stage;
    deadline: Date;
  },
) {
  const recipients =
    g.stage === 'consultation'
      ? await trx
          .selectFrom('users as u')
          .select('u.id')
          .where('u.active', '=', true)
          .where('u.spokesperson', '=', true)
          .where('u.group', 'is not', null)
          .where('u.id', 'in', (eb) =>
            eb
              .selectFrom('meeting_members')
              .select('user_id')
              .where('meeting_id', '=', g.meeting_id ?? ''),
          )
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('positions as p')
                  .select('p.id')
                  .where('p.guideline_id', '=', g.id)
                  .where('p.round', '=', g.round)
                  .whereRef('p.group', '=', 'u.group'),
              ),
            ),
          )
          .execute()
      : await trx
          .selectFrom('vote_weights as w')
          .innerJoin('votes as v', (j) =>
            j
              .onRef('v.guideline_id', '=', 'w.guideline_id')
              .onRef('v.round', '=', 'w.round')
              .onRef('v.number', '=', 'w.vote_number'),
          )
          .innerJoin('users as u', 'u.id', 'w.voter_id')
          .select('u.id')
          .where('w.guideline_id', '=', g.id)
          .where('w.round', '=', g.round)
          .where('v.closed_at', 'is', null)
          .where('u.active', '=', true)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('ballots as b')
                  .select('b.voter_id')
                  .whereRef('b.guideline_id', '=', 'w.guideline_id')
                  .whereRef('b.round', '=', 'w.round')
                  .whereRef('b.vote_number', '=', 'w.vote_number')
                  .whereRef('b.voter_id', '=', 'w.voter_id'),
              ),
            ),
          )
          .execute();
  const what = g.stage === 'consultation' ? "your group's position" : 'your vote';
  const ids = await writeReminders(
    trx,
    timer,
    recipients.map((r) => r.id),
    {
      kind: `guideline.${timer.kind}`,
      guidelineId: g.id,
      title: `${g.title}: ${what} is due by ${dueText(g.deadline)}`,
      data: {
        reminder: timer.kind,
        round: g.round,
        deadline: g.deadline.toISOString(),
        before: timer.offset_before,
      },
    },
  );
  await tellObservers(deps, trx, ids);
  return `reminded ${ids.length}`;
}

/** The secretariat, of the adopted guidelines not yet included before a session's deadline. */
async function remindOfDocumentDeadline(
  deps: TimerDeps,
  trx: Transaction<Database>,
  timer: TimerRow,
) {
  const session = await trx
    .selectFrom('gb_sessions')
    .select(['id', 'number', 'name', 'document_deadline'])
    .where('id', '=', timer.gb_session_id ?? '')
    .executeTakeFirst();
  if (!session) return 'not applied: the session is gone';
  const adopted = await trx
    .selectFrom('guidelines')
    .select(['id', 'title'])
    .where('state', '=', 'adopted')
    .orderBy('title')
    .execute();
  if (adopted.length === 0) return 'nothing to remind of: no adopted guideline waits';
  const secretariat = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'secretariat')
    .where('active', '=', true)
    .execute();
  const deadline = new Date(session.document_deadline);
  const ids = await writeReminders(
    trx,
    timer,
    secretariat.map((u) => u.id),
    {
      kind: 'gb_session.document_reminder',
      guidelineId: null,
      title: `${session.name}: ${adopted.length} adopted guideline${adopted.length === 1 ? '' : 's'} not yet included; documents are due by ${dueText(deadline)}`,
      data: {
        reminder: timer.kind,
        gbSessionId: session.id,
        deadline: deadline.toISOString(),
        before: timer.offset_before,
        guidelines: adopted,
      },
    },
  );
  await tellObservers(deps, trx, ids);
  return `reminded ${ids.length} (${adopted.length} adopted not yet included)`;
}

/** In-app notifications of one timer, idempotent per (timer, recipient). */
async function writeReminders(
  trx: Transaction<Database>,
  timer: TimerRow,
  recipientIds: readonly string[],
  notice: {
    kind: string;
    guidelineId: string | null;
    title: string;
    data: Record<string, unknown>;
  },
): Promise<string[]> {
  if (recipientIds.length === 0) return [];
  const rows = await trx
    .insertInto('notifications')
    .values(
      recipientIds.map((id) => ({
        recipient_id: id,
        kind: notice.kind,
        guideline_id: notice.guidelineId,
        title: notice.title,
        data: JSON.stringify(notice.data),
        dedupe_key: `timer:${timer.id}:${id}`,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

async function tellObservers(deps: TimerDeps, trx: Transaction<Database>, ids: readonly string[]) {
  if (ids.length === 0) return;
  for (const observer of deps.observers ?? []) await observer.notified?.(trx, ids);
}

/** For tests and the secretariat: a guideline's pending timers. */
export const pendingTimersOf = (db: Kysely<Database>, guidelineId: string) =>
  db
    .selectFrom('timers')
    .select(['kind', 'round', 'due_at', 'offset_before'])
    .where('guideline_id', '=', guidelineId)
    .where('fired_at', 'is', null)
    .where('cancelled_at', 'is', null)
    .orderBy('due_at')
    .execute();
