import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import type { Actor } from '../domain/permissions.js';
import { type GuidelineEventType, guidelineEventTypes } from '../machines/events.js';
import { explainRefusal, stateTakes } from '../machines/explain.js';
import { type GuidelineSnapshot, restoreSnapshot, topState } from '../machines/snapshot.js';
import { type Step, tookEvent, xstateStep } from '../machines/step.js';
import { isRefusal } from './events/definition.js';
import { definitionOf } from './events/index.js';
import { standingOf } from './standing.js';
import type { GuidelineStanding } from './who-may.js';

// "Why can't I act?": every event, for this caller, allowed or not and why — answered by the same
// definitions and machine the engine uses: who may send it, then whether the state takes it, then,
// with a stand-in for what the caller would send, whether its guards hold.

export interface AllowedEvent {
  type: GuidelineEventType;
  allowed: boolean;
  reason?: string;
}

export async function allowedEvents(
  deps: { db: Kysely<Database>; clock: Clock; step?: Step | undefined },
  row: GuidelineRow,
  actor: Actor,
  snapshot: GuidelineSnapshot = restoreSnapshot(row.snapshot, row.machine_version),
  /** The actor's standing, when the caller has looked it up already. */
  known?: GuidelineStanding,
): Promise<AllowedEvent[]> {
  const now = deps.clock.now();
  const standing = known ?? (await standingOf(deps.db, row, actor));
  const answers: AllowedEvent[] = [];
  for (const type of guidelineEventTypes) {
    const definition = definitionOf(type);
    const forbidden = definition.who(actor, standing);
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
    const command = await definition.probe({ db: deps.db, now });
    if (isRefusal(command)) {
      answers.push({ type, allowed: false, reason: command.refusal });
      continue;
    }
    const event = await definition.facts({ db: deps.db, now, row, snapshot, actor }, command);
    const [next] = (deps.step ?? xstateStep)(snapshot, event);
    answers.push(
      tookEvent(snapshot, event, next)
        ? { type, allowed: true }
        : { type, allowed: false, reason: explainRefusal(snapshot, event) },
    );
  }
  return answers;
}
