import type { Kysely } from 'kysely';
import { transition } from 'xstate';
import type { Clock } from '../clock.js';
import { chainedEntry, guidelineChain } from '../db/audit.js';
import { lockGuideline } from '../db/guideline-lock.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import { type Actor, eventPermission } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import { explainRefusal } from '../machines/explain.js';
import { guidelineMachine, MACHINE_VERSION } from '../machines/guideline.js';
import {
  type GuidelineSnapshot,
  persistSnapshot,
  restoreSnapshot,
  topState,
} from '../machines/snapshot.js';
import { inboxInsert } from '../notifications/inbox.js';
import type { GuidelineCommand } from './commands.js';
import { performEffects } from './effects.js';
import { EventForbidden, EventNotAllowed, GuidelineNotFound, VersionConflict } from './errors.js';
import { machineInput } from './facts.js';
import { isMeetingMember } from './standing.js';

// The engine: load → authorize → transition() → one transaction with the snapshot, the event's rows,
// the audit entry and the notifications. A refused event changes nothing; nothing leaves before commit.

export interface EngineDependencies {
  db: Kysely<Database>;
  clock: Clock;
}

export interface AppliedEvent {
  guideline: GuidelineRow;
  /** The guideline's snapshot after the event (the row holds it persisted). */
  snapshot: GuidelineSnapshot;
  fromState: string;
  toState: string;
  notified: number;
}

export async function applyEvent(
  deps: EngineDependencies,
  guidelineId: string,
  command: GuidelineCommand,
  actor: Actor,
  options: { expectedVersion?: number } = {},
): Promise<AppliedEvent> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockGuideline(trx, guidelineId);
    // Whoever may not see a guideline learns nothing of it, not even that it exists.
    if (actor.kind === 'user' && !maySeeGuideline(actor, visibilityFacts(row))) {
      throw new GuidelineNotFound(guidelineId);
    }
    const standing = {
      ownerId: row.owner_id,
      meetingId: row.meeting_id,
      actorIsMeetingMember: await isMeetingMember(trx, row.meeting_id, actor),
    };
    const forbidden = eventPermission(actor, command.type, standing);
    if (forbidden) throw new EventForbidden(command.type, forbidden);
    if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
      throw new VersionConflict(options.expectedVersion, row.version);
    }

    const now = deps.clock.now();
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    const { event, tally } = await machineInput(trx, now, row, snapshot, command, actor);
    const [next, actions] = transition(guidelineMachine, snapshot, event);
    // transition() hands back the very same snapshot when no transition was enabled.
    if (next === snapshot) {
      throw new EventNotAllowed(command.type, topState(snapshot), explainRefusal(snapshot, event));
    }

    const actorId = actor.kind === 'user' ? actor.id : null;
    const fromState = topState(snapshot);
    const toState = topState(next);
    await performEffects({ trx, row, next, event, actorId, now, tally }, actions);
    const version = row.version + 1;
    // The locked guideline row carries the head of its chain. The audit entry, the notifications
    // and the row's update go to the database as one statement.
    const audit = chainedEntry(
      {
        chain: guidelineChain(row.id),
        guidelineId: row.id,
        actorId,
        actorRole: actor.kind === 'user' ? actor.role : 'system',
        eventType: command.type,
        payload: auditPayload(command, tally?.result),
        fromState,
        toState,
        version,
        occurredAt: now,
      },
      { seq: row.audit_seq, hash: row.audit_hash },
    );
    const inbox = inboxInsert(trx, {
      type: command.type,
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
    const { notified, ...updated } = await trx
      .with('audit_entry', (db) =>
        db.insertInto('audit_entries').values(audit.values).returning('seq'),
      )
      .with('notified', () => inbox)
      .updateTable('guidelines')
      .set({
        snapshot: JSON.stringify(persistSnapshot(next)),
        machine_version: MACHINE_VERSION,
        state: toState,
        round: next.context.round,
        meeting_id: next.context.meetingId,
        gb_session_id: next.context.gbSessionId,
        version,
        audit_seq: audit.head.seq,
        audit_hash: audit.head.hash,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .returningAll('guidelines')
      .returning((eb) =>
        eb
          .selectFrom('notified')
          .select((n) => n.fn.countAll<number>().as('n'))
          .as('notified'),
      )
      .executeTakeFirstOrThrow();
    return { guideline: updated, snapshot: next, fromState, toState, notified: Number(notified) };
  });
}

/** What the record keeps of a command: its payload, and for a closed vote the result. */
function auditPayload(command: GuidelineCommand, voteResult: string | undefined) {
  const { type: _type, ...payload } = command;
  return voteResult ? { ...payload, result: voteResult } : payload;
}
