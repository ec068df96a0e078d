import { type Kysely, sql, type Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import { chainedEntry, guidelineChain } from '../db/audit.js';
import type { Database, GuidelineRow } from '../db/schema.js';
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
import { step } from '../machines/step.js';
import { inboxInsert } from '../notifications/inbox.js';
import type { GuidelineCommand } from './commands.js';
import { performEffects, statementEffects } from './effects.js';
import { EventForbidden, EventNotAllowed, GuidelineNotFound, VersionConflict } from './errors.js';
import { eventPermission } from './event-permission.js';
import { machineInput } from './facts.js';
import { lockGuideline } from './guideline-lock.js';
import type { EventObserver } from './observers.js';
import { isMeetingMember } from './standing.js';

// The engine: load → authorize → step() → one transaction with the snapshot, the event's rows,
// the audit entry and the notifications. A refused event changes nothing; nothing leaves before commit.

export interface EngineDependencies {
  db: Kysely<Database>;
  clock: Clock;
  /** Told of every event inside its transaction: delivery jobs, timers, the live stream. */
  observers?: readonly EventObserver[];
}

export interface AppliedEvent {
  guideline: GuidelineRow;
  /** The guideline's snapshot after the event (the row holds it persisted). */
  snapshot: GuidelineSnapshot;
  fromState: string;
  toState: string;
  notified: number;
}

/**
 * Applies one event, one way: in one transaction the guideline row is locked and read, the event is
 * authorized and decided on it, and the new snapshot, the audit entry, the event's rows and its
 * notifications are written; the observers add their rows to the same transaction. A refusal
 * changes nothing, and nothing leaves before commit. Given a transaction as `db`, it runs inside it.
 */
export async function applyEvent(
  deps: EngineDependencies,
  guidelineId: string,
  command: GuidelineCommand,
  actor: Actor,
  options: { expectedVersion?: number | undefined } = {},
): Promise<AppliedEvent> {
  const work = async (trx: Transaction<Database>) => {
    const row = await lockGuideline(trx, guidelineId);
    const decided = await decide(trx, deps.clock, row, command, actor, options);
    await performEffects({ ...decided, trx }, decided.actions);
    const written = await write(trx, decided);
    if (!written) throw new Error('the locked guideline changed under its own lock');
    for (const observer of deps.observers ?? []) {
      await observer.written(trx, {
        guidelineId,
        type: command.type,
        fromState: written.fromState,
        toState: written.toState,
        version: written.guideline.version,
        round: written.guideline.round,
        meetingId: written.guideline.meeting_id,
        gbSessionId: written.guideline.gb_session_id,
        actorId: decided.actorId,
        occurredAt: decided.now,
        notificationIds: written.notificationIds,
      });
    }
    const { notificationIds, ...applied } = written;
    return { ...applied, notified: notificationIds.length };
  };
  return deps.db.isTransaction
    ? work(deps.db as Transaction<Database>)
    : deps.db.transaction().execute(work);
}

type Decided = Awaited<ReturnType<typeof decide>>;

/** Who may, whether the version holds, the facts, the transition: everything short of writing. */
async function decide(
  db: Kysely<Database>,
  clock: Clock,
  row: GuidelineRow,
  command: GuidelineCommand,
  actor: Actor,
  options: { expectedVersion?: number },
) {
  // Whoever may not see a guideline learns nothing of it, not even that it exists.
  if (actor.kind === 'user' && !maySeeGuideline(actor, visibilityFacts(row))) {
    throw new GuidelineNotFound(row.id);
  }
  const standing = {
    ownerId: row.owner_id,
    meetingId: row.meeting_id,
    actorIsMeetingMember: await isMeetingMember(db, row.meeting_id, actor),
  };
  const forbidden = eventPermission(actor, command.type, standing);
  if (forbidden) throw new EventForbidden(command.type, forbidden);
  if (options.expectedVersion !== undefined && row.version !== options.expectedVersion) {
    throw new VersionConflict(options.expectedVersion, row.version);
  }

  const now = clock.now();
  const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
  const { event, tally } = await machineInput(db, now, row, snapshot, command, actor);
  const [next, actions] = step(snapshot, event);
  // step() hands back the very same snapshot when no transition was enabled.
  if (next === snapshot) {
    throw new EventNotAllowed(command.type, topState(snapshot), explainRefusal(snapshot, event));
  }
  const actorId = actor.kind === 'user' ? actor.id : null;
  return {
    row,
    command,
    actor,
    event,
    tally,
    next,
    actions,
    actorId,
    now,
    fromState: topState(snapshot),
    toState: topState(next),
  };
}

/**
 * The event's one write statement: the guideline row's update (`upd`), guarded by the version and
 * chain head it was decided on; the audit entry, the effects' rows and the notifications all insert
 * from `upd`, so either everything is written or — the row having moved — nothing is.
 */
async function write(
  db: Transaction<Database>,
  d: Decided,
): Promise<(Omit<AppliedEvent, 'notified'> & { notificationIds: string[] }) | null> {
  const { row, next, now } = d;
  const version = row.version + 1;
  const audit = chainedEntry(
    {
      chain: guidelineChain(row.id),
      guidelineId: row.id,
      actorId: d.actorId,
      actorRole: d.actor.kind === 'user' ? d.actor.role : 'system',
      eventType: d.command.type,
      payload: auditPayload(d.command, d.tally?.result),
      fromState: d.fromState,
      toState: d.toState,
      version,
      occurredAt: now,
    },
    { seq: row.audit_seq, hash: row.audit_hash },
  );
  const a = audit.values;
  const inbox = inboxInsert(db, {
    type: d.command.type,
    guideline: {
      id: row.id,
      title: row.title,
      ownerId: row.owner_id,
      meetingId: next.context.meetingId,
    },
    actorId: d.actorId,
    version,
    fromState: d.fromState,
    toState: d.toState,
    round: next.context.round,
  });
  const effects = statementEffects(d, d.actions).map(
    (part, i) => sql`, ${sql.ref(`effect_${i}`)} as (${part})`,
  );
  const persisted = persistSnapshot(next);
  const result = await sql<{ notified: string[] | null }>`
    with upd as (
      update guidelines set
        snapshot = ${JSON.stringify(persisted)}::jsonb,
        machine_version = ${MACHINE_VERSION}::int,
        state = ${d.toState}::text,
        round = ${next.context.round}::int,
        meeting_id = ${next.context.meetingId}::uuid,
        gb_session_id = ${next.context.gbSessionId}::uuid,
        version = ${version}::int,
        audit_seq = ${audit.head.seq}::int,
        audit_hash = ${audit.head.hash}::text,
        updated_at = ${now}::timestamptz
      where id = ${row.id}::uuid and version = ${row.version}::int and audit_seq = ${row.audit_seq}::int
      returning *
    ),
    audit_entry as (
      insert into audit_entries (chain, seq, guideline_id, actor_id, actor_role, event_type, payload,
                                 from_state, to_state, version, occurred_at, prev_hash, hash)
      select ${a.chain}::text, ${a.seq}::int, upd.id, ${a.actor_id ?? null}::uuid, ${a.actor_role ?? null}::text,
             ${a.event_type}::text, ${a.payload}::jsonb, ${a.from_state ?? null}::text, ${a.to_state ?? null}::text,
             ${a.version ?? null}::int, ${a.occurred_at}::timestamptz, ${a.prev_hash ?? null}::text, ${a.hash}::text
      from upd
    )${sql.join(effects, sql``)},
    notified as (${inbox})
    select (select array_agg(id) from notified) as notified from upd
  `.execute(db);
  const written = result.rows[0];
  if (!written) return null;
  // The row as now stored: the very tuple decided on (the guard saw to it) with what was just set,
  // built here rather than sent back, which spared parsing the whole row on every event.
  const guideline: GuidelineRow = {
    ...row,
    snapshot: persisted,
    machine_version: MACHINE_VERSION,
    state: d.toState,
    round: next.context.round,
    meeting_id: next.context.meetingId,
    gb_session_id: next.context.gbSessionId,
    version,
    audit_seq: audit.head.seq,
    audit_hash: audit.head.hash,
    updated_at: now,
  };
  return {
    guideline,
    snapshot: next,
    fromState: d.fromState,
    toState: d.toState,
    notificationIds: written.notified ?? [],
  };
}

/** What the record keeps of a command: its payload, and for a closed vote the result. */
function auditPayload(command: GuidelineCommand, voteResult: string | undefined) {
  const { type: _type, ...payload } = command;
  return voteResult ? { ...payload, result: voteResult } : payload;
}
