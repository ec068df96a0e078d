import { type Kysely, sql } from 'kysely';
import type { Clock } from '../clock.js';
import { chainedEntry, guidelineChain } from '../db/audit.js';
import { lockGuideline } from '../db/guideline-lock.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import { type Actor, eventPermission } from '../domain/permissions.js';
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
import { needsRowLock, performEffects, statementEffects } from './effects.js';
import { EventForbidden, EventNotAllowed, GuidelineNotFound, VersionConflict } from './errors.js';
import { machineInput } from './facts.js';
import { isMeetingMember } from './standing.js';
import { rememberedRow, rememberRow } from './written-rows.js';

// The engine: load → authorize → step() → one transaction with the snapshot, the event's rows,
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

/**
 * Applies one event. Most events need nothing but the guideline row: they are decided on the row
 * this process last wrote, or else a plain read, and written in one statement that updates the row
 * only if it is still that very tuple at the version and chain head decided on — no lock held
 * across round trips. Events whose effects read before they write (a vote's electorate and tally,
 * the anchors a resubmission re-locates), and any event that finds the row changed under it, go
 * the careful way: the row locked, decided, written.
 */
export async function applyEvent(
  deps: EngineDependencies,
  guidelineId: string,
  command: GuidelineCommand,
  actor: Actor,
  options: { expectedVersion?: number } = {},
): Promise<AppliedEvent> {
  const decided = await decideOnLatest(deps, guidelineId, command, actor, options);
  let applied = needsRowLock(decided.event, decided.actions) ? null : await write(deps.db, decided);
  applied ??= await deps.db.transaction().execute(async (trx) => {
    const locked = await lockGuideline(trx, guidelineId);
    const again = await decide(trx, deps.clock, locked, command, actor, options);
    await performEffects({ ...again, trx }, again.actions);
    const written = await write(trx, again);
    if (!written) throw new Error('the locked guideline changed under its own lock');
    return written;
  });
  rememberRow(deps.db, applied.guideline, applied.xmin);
  const { xmin: _xmin, ...event } = applied;
  return event;
}

/**
 * Decides on the row this process last committed for the guideline, saving a read; on a fresh read
 * when it has none, or when the remembered row would refuse — a refusal must describe the row as it
 * is (see written-rows.ts for why a remembered row can never cause a wrong write).
 */
async function decideOnLatest(
  deps: EngineDependencies,
  guidelineId: string,
  command: GuidelineCommand,
  actor: Actor,
  options: { expectedVersion?: number },
) {
  const remembered = rememberedRow(deps.db, guidelineId);
  // A caller who names another version has seen a row this process has not: read it.
  const expected = options.expectedVersion;
  if (remembered && (expected === undefined || expected === remembered.row.version)) {
    try {
      return await decide(deps.db, deps.clock, remembered.row, command, actor, options, remembered);
    } catch {
      // Decided again below, on the row as it is now.
    }
  }
  const found = await deps.db
    .selectFrom('guidelines')
    .selectAll()
    .select(sql<string>`xmin::text`.as('row_xmin'))
    .where('id', '=', guidelineId)
    .executeTakeFirst();
  if (!found) throw new GuidelineNotFound(guidelineId);
  const { row_xmin: xmin, ...row } = found;
  return decide(deps.db, deps.clock, row, command, actor, options, { xmin });
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
  /** The row's tuple as read (PostgreSQL's xmin), when it was read without a lock. */
  read: { xmin: string } | null = null,
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
    xmin: read?.xmin ?? null,
  };
}

/**
 * The event's one write statement: the guideline row's update (`upd`), guarded by the version and
 * chain head it was decided on; the audit entry, the effects' rows and the notifications all insert
 * from `upd`, so either everything is written or — the row having moved — nothing is.
 */
async function write(
  db: Kysely<Database>,
  d: Decided,
): Promise<(AppliedEvent & { xmin: string }) | null> {
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
  const result = await sql<{ notified: number; row_xmin: string }>`
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
        and (${d.xmin}::text is null or xmin = ${d.xmin}::xid)
      returning *, xmin::text as row_xmin
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
    select upd.row_xmin, (select count(*) from notified)::int as notified from upd
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
    xmin: written.row_xmin,
    snapshot: next,
    fromState: d.fromState,
    toState: d.toState,
    notified: Number(written.notified),
  };
}

/** What the record keeps of a command: its payload, and for a closed vote the result. */
function auditPayload(command: GuidelineCommand, voteResult: string | undefined) {
  const { type: _type, ...payload } = command;
  return voteResult ? { ...payload, result: voteResult } : payload;
}
