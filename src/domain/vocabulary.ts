// The closed sets of words the product uses. The database checks the same lists (frozen into the
// migrations that created each column); the API validates against these.

export const roles = ['drafter', 'expert', 'observer', 'secretariat'] as const;
export type Role = (typeof roles)[number];

export const groups = ['government', 'employers', 'workers'] as const;
export type Group = (typeof groups)[number];

export const guidelineStates = [
  'drafting',
  'secretariat_check',
  'consultation',
  'deliberation',
  'voting',
  'revision',
  'adopted',
  'submitted_to_gb',
  'approved',
  'rejected',
  'withdrawn',
] as const;
export type GuidelineState = (typeof guidelineStates)[number];

export const stances = ['support', 'support_with_reservations', 'oppose'] as const;
export type Stance = (typeof stances)[number];

export const ballotChoices = ['yes', 'no', 'abstain'] as const;
export type BallotChoice = (typeof ballotChoices)[number];

export const dispositions = ['accepted', 'partially_accepted', 'not_accepted', 'noted'] as const;
export type Disposition = (typeof dispositions)[number];

export const anchorStatuses = ['anchored', 'relocated', 'orphaned'] as const;
export type AnchorStatus = (typeof anchorStatuses)[number];

export const votingRules = ['weighted_majority', 'concurrent_majority'] as const;
export type VotingRule = (typeof votingRules)[number];

export const requiredMajorities = ['simple', 'two_thirds'] as const;
export type RequiredMajority = (typeof requiredMajorities)[number];

export const ballotKinds = ['open', 'secret'] as const;
/** How a Governing Body paper names the author of a comment: by role and group, or by name. */
export const commentAttributions = ['group', 'name'] as const;
export type CommentAttribution = (typeof commentAttributions)[number];
export type BallotKind = (typeof ballotKinds)[number];

export const voteResults = ['passed', 'failed', 'no_quorum'] as const;
export type VoteResult = (typeof voteResults)[number];

export const gbDecisions = ['approved', 'referred_back', 'deferred'] as const;
export type GbDecision = (typeof gbDecisions)[number];
