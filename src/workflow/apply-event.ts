import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import { chainedEntry, guidelineChain } from '../db/audit.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import { explainRefusal } from '../machines/explain.js';
import { MACHINE_VERSION } from '../machines/guideline.js';
import {
  type GuidelineSnapshot,
  persistSnapshot,
  restoreSnapshot,
  topState,
} from '../machines/snapshot.js';
import { type Step, tookEvent, xstateStep } from '../machines/step.js';
import { writeInbox } from '../notifications/inbox.js';
import { EventForbidden, EventNotAllowed, GuidelineNotFound, VersionConflict } from './errors.js';
import { definitionOf, type GuidelineCommand } from './events/index.js';
import { lockGuideline } from './guideline-lock.js';
import type { EventObserver } from './observers.js';
import { standingOf } from './standing.js';

// The engine: one event, one way, in one transaction that holds the guideline's row lock —
// authorize, decide, write the snapshot, the audit entry, the event's rows and its notifications,
// tell the observers, report. A refusal changes nothing; nothing leaves before commit.

export interface EngineDependencies {
  db: Kysely<Database>;
  clock: Clock;
  /** Told of every event inside its transaction: delivery jobs, timers, the live stream. */
  observers?: readonly EventObserver[];
  /** The machine's transition: the process's stepper (main.ts), or XState's own when none is given. */
  step?: Step | undefined;
}

export interface AppliedEvent {
  guideline: GuidelineRow;
  /** The guideline's snapshot after the event (the row holds it persisted). */
  snapshot: GuidelineSnapshot;
  fromState: string;
  toState: string;
  notified: number;
}

/** Applies one event to a guideline. Given a transaction as `db`, it runs inside it. */
export async function applyEvent(
  deps: EngineDependencies,
  guidelineId: string,
  command: GuidelineCommand,
  actor: Actor,
  options: { expectedVersion?: number | undefined } = {},
): Promise<AppliedEvent> {
  const work = async (trx: Transaction<Database>): Promise<AppliedEvent> => {
    const row = await lockGuideline(trx, guidelineId);
    const definition = definitionOf(command.type);

    // Authorize. Whoever may not see a guideline learns nothing of it, not even that it exists.
    if (actor.kind === 'user' && !maySeeGuideline(actor, visibilityFacts(row))) {
      throw new GuidelineNotFound(row.id);
    }
    const forbidden = definition.who(actor, await standingOf(trx, row, actor));
    if (forbidden) throw new EventForbidden(command.type, forbidden);
    if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
      throw new VersionConflict(options.expectedVersion, row.version);
    }

    // Decide: the machine, given the facts its guards read, on the locked row.
    const now = deps.clock.now();
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    const event = await definition.facts({ db: trx, now, row, snapshot, actor }, command);
    const [next] = (deps.step ?? xstateStep)(snapshot, event);
    if (!tookEvent(snapshot, event, next)) {
      throw new EventNotAllowed(command.type, topState(snapshot), explainRefusal(snapshot, event));
    }
    const fromState = topState(snapshot);
    const toState = topState(next);
    const actorId = actor.kind === 'user' ? actor.id : null;
    const version = row.version + 1;

    // The audit entry, chained to the head the locked row keeps, is inserted by the statement that
    // writes the snapshot and what is read off it, guarded by the version decided on.
    const { type: _type, ...payload } = command;
    const audit = chainedEntry(
      {
        chain: guidelineChain(row.id),
        guidelineId: row.id,
        actorId,
        actorRole: actor.kind === 'user' ? actor.role : 'system',
        eventType: command.type,
        payload: { ...payload, ...definition.recorded(event) },
        fromState,
        toState,
        version,
        occurredAt: now,
      },
      { seq: row.audit_seq, hash: row.audit_hash },
    );
    const guideline = await trx
      .with('audit_entry', (q) => q.insertInto('audit_entries').values(audit.values))
      .updateTable('guidelines')
      .set({
        snapshot: JSON.stringify(persistSnapshot(next)),
        machine_version: MACHINE_VERSION,
        state: toState,
        round: next.context.round,
        consulted_round: next.context.consultedRound,
        meeting_id: next.context.meetingId,
        gb_session_id: next.context.gbSessionId,
        version,
        audit_seq: audit.head.seq,
        audit_hash: audit.head.hash,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .where('version', '=', row.version)
      .returningAll()
      .executeTakeFirst();
    if (!guideline) throw new Error('the locked guideline changed under its own lock');

    // The event's own rows, then who hears of it.
    await definition.writes({ trx, row, next, event, actorId, now });
    const notificationIds = await writeInbox(trx, {
      type: command.type,
      audience: definition.audience,
      title: definition.title,
      guideline: {
        id: row.id,
        title: row.title,
        ownerId: row.owner_id,
        meetingId: next.context.meetingId,
      },
      actorId,
      version,
      fromState,
      toState,
      round: next.context.round,
    });

    for (const observer of deps.observers ?? []) {
      await observer.written(trx, {
        guidelineId,
        type: command.type,
        fromState,
        toState,
        version,
        round: guideline.round,
        stateValue: next.value,
        ownerId: guideline.owner_id,
        consultedRound: guideline.consulted_round,
        meetingId: guideline.meeting_id,
        gbSessionId: guideline.gb_session_id,
        actorId,
        occurredAt: now,
        notificationIds,
      });
    }
    return { guideline, snapshot: next, fromState, toState, notified: notificationIds.length };
  };
  return inTransaction(deps.db, work);
}
