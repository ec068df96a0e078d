import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import type { Actor } from '../domain/permissions.js';
import { type GuidelineEventType, guidelineEventTypes } from '../machines/events.js';
import { explainRefusal, stateTakes } from '../machines/explain.js';
import { type GuidelineSnapshot, restoreSnapshot, topState } from '../machines/snapshot.js';
import { step } from '../machines/step.js';
import type { GuidelineCommand } from './commands.js';
import { eventPermission } from './event-permission.js';
import { machineInput } from './facts.js';
import { isMeetingMember } from './standing.js';

// "Why can't I act?": every event, for this caller, allowed or not and why — answered by the same
// permission rule, fact loading and machine the engine uses, with a stand-in for what the caller
// would type (a reason, a summary) and the best target there is (an open meeting, a session still
// taking documents).

export interface AllowedEvent {
  type: GuidelineEventType;
  allowed: boolean;
  reason?: string;
}

const text = 'stand-in text';

async function probeCommand(
  db: Kysely<Database>,
  type: GuidelineEventType,
  now: Date,
): Promise<GuidelineCommand | { refusal: string }> {
  switch (type) {
    case 'RETURN_TO_DRAFTER':
    case 'WITHDRAW':
      return { type, reason: text };
    case 'RECORD_CONSENSUS':
      return { type, summary: text };
    case 'REQUEST_REVISION':
      return { type, instructions: text };
    case 'SUBMIT_POSITION':
      return { type, stance: 'support', statement: text };
    case 'RECORD_GB_DECISION':
      return { type, decision: 'approved' };
    case 'ACCEPT_FOR_REVIEW': {
      const open = await db
        .selectFrom('meetings')
        .select('id')
        .where('closed_at', 'is', null)
        .executeTakeFirst();
      return open ? { type, meetingId: open.id } : { refusal: 'no meeting of experts is open' };
    }
    case 'INCLUDE_IN_SUBMISSION': {
      const session = await db
        .selectFrom('gb_sessions')
        .select('id')
        .where('document_deadline', '>', now)
        .executeTakeFirst();
      return session
        ? { type, gbSessionId: session.id }
        : { refusal: 'no Governing Body session is still taking documents' };
    }
    default:
      return { type } as GuidelineCommand;
  }
}

export async function allowedEvents(
  deps: { db: Kysely<Database>; clock: Clock },
  row: GuidelineRow,
  actor: Actor,
  snapshot: GuidelineSnapshot = restoreSnapshot(row.snapshot, row.machine_version),
): Promise<AllowedEvent[]> {
  const now = deps.clock.now();
  const standing = {
    ownerId: row.owner_id,
    meetingId: row.meeting_id,
    actorIsMeetingMember: await isMeetingMember(deps.db, row.meeting_id, actor),
  };
  const answers: AllowedEvent[] = [];
  for (const type of guidelineEventTypes) {
    const forbidden = eventPermission(actor, type, standing);
    if (forbidden) {
      answers.push({ type, allowed: false, reason: forbidden });
      continue;
    }
    if (!stateTakes(snapshot, type)) {
      const reason =
        snapshot.status === 'done'
          ? `the guideline is ${topState(snapshot)}: its review has ended`
          : `${type} is not possible while the guideline is in ${topState(snapshot)}`;
      answers.push({ type, allowed: false, reason });
      continue;
    }
    const command = await probeCommand(deps.db, type, now);
    if ('refusal' in command) {
      answers.push({ type, allowed: false, reason: command.refusal });
      continue;
    }
    const { event } = await machineInput(deps.db, now, row, snapshot, command, actor);
    const [next] = step(snapshot, event);
    answers.push(
      next === snapshot
        ? { type, allowed: false, reason: explainRefusal(snapshot, event) }
        : { type, allowed: true },
    );
  }
  return answers;
}
