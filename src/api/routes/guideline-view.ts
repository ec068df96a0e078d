import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database, GuidelineRow, User } from '../../db/schema.js';
import { isUuid } from '../../domain/ids.js';
import { actorOf } from '../../domain/permissions.js';
import { maySeeGuideline } from '../../domain/visibility.js';
import { restoreSnapshot } from '../../machines/snapshot.js';
import { allowedEvents } from '../../workflow/allowed-events.js';
import { HttpProblem } from '../problem.js';

const notFound = () =>
  new HttpProblem({
    code: 'not_found',
    title: 'Not found',
    detail: 'No guideline with that id is visible to you.',
  });

/** The guideline if the caller may see it; 404 otherwise, whether or not it exists. */
export async function visibleGuideline(
  db: Kysely<Database>,
  user: User,
  id: string,
): Promise<GuidelineRow> {
  if (!isUuid(id)) throw notFound();
  const row = await db.selectFrom('guidelines').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  const consultedRound = Number(
    (row.snapshot as { context?: { consultedRound?: number } }).context?.consultedRound ?? 0,
  );
  if (!maySeeGuideline(user, { ownerId: row.owner_id, consultedRound })) throw notFound();
  return row;
}

export const etagOf = (row: Pick<GuidelineRow, 'version'>) => `"${row.version}"`;

/** The guideline as the API shows it to this caller, with the events they may or may not send. */
export async function guidelineView(
  deps: { db: Kysely<Database>; clock: Clock },
  row: GuidelineRow,
  user: User,
) {
  const section = await deps.db
    .selectFrom('framework_sections')
    .select('slug')
    .where('id', '=', row.section_id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    title: row.title,
    section: section.slug,
    state: row.state,
    stateValue: restoreSnapshot(row.snapshot, row.machine_version).value,
    round: row.round,
    version: row.version,
    ownerId: row.owner_id,
    meetingId: row.meeting_id,
    gbSessionId: row.gb_session_id,
    text: row.text,
    references: row.references,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    allowedEvents: await allowedEvents(deps, row, actorOf(user)),
  };
}
