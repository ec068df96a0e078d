import type { Group } from './vocabulary.js';

// A group's position is sealed from the other groups and from the drafter until all three groups
// have stated theirs or the consultation closes (SPEC section 3/4); the secretariat sees it at once.

export interface PositionRecord {
  group: Group;
  /** Whether it was stated in the consultation now running (false once that consultation closed). */
  inOpenConsultation: boolean;
}

/** Whether a stated position is still sealed, i.e. its consultation is open and a group is missing. */
export function positionSealed(
  position: PositionRecord,
  groupsInOpenConsultation: ReadonlySet<Group>,
): boolean {
  return position.inOpenConsultation && groupsInOpenConsultation.size < 3;
}

/** Whether this reader may see a position that is sealed. */
export function maySeeSealedPosition(
  reader: { role: string; group: Group | null },
  position: PositionRecord,
): boolean {
  return reader.role === 'secretariat' || reader.group === position.group;
}

/** The tally of an open vote is the secretariat's alone; once closed it is part of the record. */
export function mayReadTally(reader: { role: string }, vote: { open: boolean }): boolean {
  return !vote.open || reader.role === 'secretariat';
}
