import type { Role } from './vocabulary.js';

// Who may see a guideline at all (SPEC section 7): the secretariat sees every one; a drafter sees
// their own from the first draft, and others' once they have gone to consultation; experts and
// observers see a guideline from consultation on. Where this says no, the API answers 404, so even
// the existence of a draft does not leak.

export function maySeeGuideline(
  user: { id: string; role: Role },
  guideline: { ownerId: string; consultedRound: number },
): boolean {
  if (user.role === 'secretariat') return true;
  if (user.role === 'drafter' && user.id === guideline.ownerId) return true;
  return guideline.consultedRound > 0;
}

/** The facts visibility needs, read off a stored guideline row. */
export function visibilityFacts(row: { owner_id: string; consulted_round: number }): {
  ownerId: string;
  consultedRound: number;
} {
  return { ownerId: row.owner_id, consultedRound: row.consulted_round };
}
