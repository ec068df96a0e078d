import type { Response } from 'express';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Account, Database, GuidelineRow } from '../../db/schema.js';
import type { SectionCatalogue } from '../../db/sections.js';
import { isUuid } from '../../domain/ids.js';
import { actorOf } from '../../domain/permissions.js';
import { type GuidelineSnapshot, restoreSnapshot } from '../../machines/snapshot.js';
import type { Step } from '../../machines/step.js';
import { allowedActions } from '../../workflow/allowed-actions.js';
import { allowedEvents } from '../../workflow/allowed-events.js';
import { standingOf } from '../../workflow/standing.js';
import { visibleGuideline as readableGuideline } from '../../workflow/visible-guideline.js';
import { HttpProblem } from '../problem.js';

const notFound = () =>
  new HttpProblem({
    code: 'not_found',
    title: 'Not found',
    detail: 'No guideline with that id is visible to you.',
  });

/** Refuses an id that cannot name a guideline with the same 404 as one the caller may not see. */
export function guidelineId(id: string): string {
  if (!isUuid(id)) throw notFound();
  return id;
}

/** The guideline if the caller may see it; 404 otherwise, whether or not it exists. */
export function visibleGuideline(
  db: Kysely<Database>,
  user: Account,
  id: string,
): Promise<GuidelineRow> {
  return readableGuideline(db, user, guidelineId(id));
}

/** The refusals of a change to one guideline: the text edit and the workflow events. */
export const guidelineChangeProblems = [
  'forbidden',
  'not_found',
  'conflict',
  'not_allowed_now',
  'precondition_required',
  'unsupported_media_type',
  'payload_too_large',
] as const;

/** What a guideline's view is made with. */
export interface ViewDependencies {
  db: Kysely<Database>;
  clock: Clock;
  sections: SectionCatalogue;
  step?: Step | undefined;
}

export const etagOf = (row: Pick<GuidelineRow, 'version'>) => `"${row.version}"`;

/** The guideline as the API shows it to this caller, with the events and actions open to them. */
export async function guidelineView(
  deps: ViewDependencies,
  row: GuidelineRow,
  user: Account,
  /** The row's snapshot, when the caller has it restored already. */
  snapshot: GuidelineSnapshot = restoreSnapshot(row.snapshot, row.machine_version),
) {
  const actor = actorOf(user);
  const standing = await standingOf(deps.db, row, actor, { elector: snapshot.hasTag('VOTE') });
  return {
    id: row.id,
    title: row.title,
    section: await deps.sections.slugOf(row.section_id),
    state: row.state,
    stateValue: snapshot.value,
    round: row.round,
    version: row.version,
    ownerId: row.owner_id,
    meetingId: row.meeting_id,
    gbSessionId: row.gb_session_id,
    text: row.text,
    references: row.references,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    allowedEvents: await allowedEvents(deps, row, actor, snapshot, standing),
    allowedActions: allowedActions(actor, standing, snapshot),
  };
}

/**
 * The events route's answer, given again to a retry whose first request committed its event but
 * died before answering: the guideline as it stands (at that event's version unless it moved on).
 */
export const answerWithGuideline =
  (deps: ViewDependencies) =>
  async (committed: { guidelineId: string }, input: { user: Account }, res: Response) => {
    const row = await visibleGuideline(deps.db, input.user, committed.guidelineId);
    res.set('ETag', etagOf(row)).json(await guidelineView(deps, row, input.user));
  };
