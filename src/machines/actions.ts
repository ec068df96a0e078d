import type { GuidelineState } from '../domain/vocabulary.js';

// The things people do to a guideline besides workflow events (SPEC section 2, "actions"). In which
// states each is possible is said by the statechart itself, as tags on its states
// (machines/guideline.ts); this file names them and says, in the users' words, why one is refused
// in a state that does not carry its tag.

export const guidelineActions = [
  'EDIT_TEXT',
  'COMMENT',
  'REPLY',
  'DISPOSE_COMMENT',
  'VOTE',
] as const;
export type GuidelineAction = (typeof guidelineActions)[number];

/** The reason an action is not possible in a state whose node does not carry its tag. */
export const actionClosedReason: Record<GuidelineAction, (state: GuidelineState) => string> = {
  EDIT_TEXT: (state) => `the text can be edited only in drafting or revision, not in ${state}`,
  COMMENT: (state) => `comments are taken during consultation, not in ${state}`,
  REPLY: (state) =>
    `replies are taken during consultation, deliberation and revision, not in ${state}`,
  DISPOSE_COMMENT: (state) => `dispositions are given in revision, not in ${state}`,
  VOTE: (state) => `there is no vote open: the guideline is in ${state}`,
};
