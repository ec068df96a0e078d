import type { Kysely } from 'kysely';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import { actorOf } from '../domain/permissions.js';
import {
  mayReadPosition,
  type OpenConsultation,
  type PositionRecord,
  positionSealed,
} from '../domain/sealing.js';
import type { Group } from '../domain/vocabulary.js';
import { isMeetingMember } from './standing.js';

// The facts sealing is decided on, read once per request, and the decision for each position. Every
// reader of positions (the positions list, the history, the live stream) goes through this.

export interface PositionSealing {
  /** The consultation now open on the guideline, or null. */
  consultation: OpenConsultation | null;
  sealed(position: PositionRecord): boolean;
  mayRead(position: PositionRecord): boolean;
}

/** The consultation open on a guideline: its round and the groups whose position is in. */
export async function openConsultationOf(
  db: Kysely<Database>,
  guideline: Pick<GuidelineRow, 'id' | 'state' | 'round'>,
): Promise<OpenConsultation | null> {
  if (guideline.state !== 'consultation') return null;
  const rows = await db
    .selectFrom('positions')
    .select('group')
    .where('guideline_id', '=', guideline.id)
    .where('round', '=', guideline.round)
    .execute();
  return { round: guideline.round, groupsIn: new Set<Group>(rows.map((p) => p.group)) };
}

/** Sealing as it applies to this reader of this guideline, right now. */
export async function positionSealing(
  db: Kysely<Database>,
  guideline: Pick<GuidelineRow, 'id' | 'state' | 'round' | 'meeting_id'>,
  reader: Pick<Account, 'id' | 'role' | 'group' | 'spokesperson'>,
): Promise<PositionSealing> {
  const consultation = await openConsultationOf(db, guideline);
  // Only an expert's membership can matter, and only while something is sealed.
  const memberOfMeeting =
    consultation !== null && reader.role === 'expert'
      ? await isMeetingMember(db, guideline.meeting_id, actorOf(reader))
      : false;
  const standing = { role: reader.role, group: reader.group, memberOfMeeting };
  return {
    consultation,
    sealed: (position) => positionSealed(position, consultation),
    mayRead: (position) => mayReadPosition(standing, position, consultation),
  };
}
