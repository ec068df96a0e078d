import type { Group } from './vocabulary.js';

// A group's position is sealed (SPEC section 2) until all three groups have stated theirs in the
// round or the consultation closes. While sealed, only the secretariat and the experts of the
// position's own group who sit on the guideline's meeting may read it. The group is the one stored
// on the position when it was stated, never the author's group today: moving an expert between
// groups must not hand one group's sealed statement to another.

/** A stated position, as sealing needs it. */
export interface PositionRecord {
  group: Group;
  round: number;
}

/** The consultation a guideline is in, if any: its round and the groups that have stated a position. */
export interface OpenConsultation {
  round: number;
  groupsIn: ReadonlySet<Group>;
}

/** Who is reading, with their standing on the guideline's meeting (decided by the caller). */
export interface PositionReader {
  role: string;
  group: Group | null;
  memberOfMeeting: boolean;
}

/** Whether a position is still sealed: stated in the consultation now open, with a group missing. */
export function positionSealed(
  position: PositionRecord,
  consultation: OpenConsultation | null,
): boolean {
  return (
    consultation !== null && position.round === consultation.round && consultation.groupsIn.size < 3
  );
}

/** The one rule every reader goes through: may this reader see this position's content now? */
export function mayReadPosition(
  reader: PositionReader,
  position: PositionRecord,
  consultation: OpenConsultation | null,
): boolean {
  if (!positionSealed(position, consultation)) return true;
  if (reader.role === 'secretariat') return true;
  return reader.role === 'expert' && reader.group === position.group && reader.memberOfMeeting;
}
