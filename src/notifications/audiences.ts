import type { GuidelineEventType } from '../machines/events.js';

// Who hears about each workflow event in the in-app inbox: the guideline's owner, the members of the
// meeting reviewing it, the secretariat. The person who acted is never told about their own act.

export type Audience = 'owner' | 'members' | 'secretariat';

export const audiences: Record<GuidelineEventType, readonly Audience[]> = {
  SUBMIT: ['secretariat'],
  RETURN_TO_DRAFTER: ['owner'],
  ACCEPT_FOR_REVIEW: ['owner', 'members'],
  // Positions are sealed: the secretariat hears that one came in, nobody else.
  SUBMIT_POSITION: ['secretariat'],
  CLOSE_CONSULTATION: ['owner', 'members', 'secretariat'],
  CONSULTATION_DEADLINE: ['owner', 'members', 'secretariat'],
  RECORD_CONSENSUS: ['owner', 'members'],
  OPEN_VOTE: ['members'],
  REQUEST_REVISION: ['owner'],
  CLOSE_VOTE: ['owner', 'members', 'secretariat'],
  VOTE_DEADLINE: ['owner', 'members', 'secretariat'],
  RESUBMIT: ['members', 'secretariat'],
  INCLUDE_IN_SUBMISSION: ['owner'],
  RECORD_GB_DECISION: ['owner', 'members', 'secretariat'],
  WITHDRAW: ['owner', 'members', 'secretariat'],
};

const titles: Record<GuidelineEventType, string> = {
  SUBMIT: 'submitted for the secretariat’s check',
  RETURN_TO_DRAFTER: 'returned to the drafter',
  ACCEPT_FOR_REVIEW: 'open for consultation',
  SUBMIT_POSITION: 'a group position was received',
  CLOSE_CONSULTATION: 'consultation closed',
  CONSULTATION_DEADLINE: 'consultation deadline reached',
  RECORD_CONSENSUS: 'adopted by consensus',
  OPEN_VOTE: 'vote open',
  REQUEST_REVISION: 'revision requested',
  CLOSE_VOTE: 'vote closed',
  VOTE_DEADLINE: 'vote closed at its deadline',
  RESUBMIT: 'revised text open for consultation',
  INCLUDE_IN_SUBMISSION: 'included in the submission to the Governing Body',
  RECORD_GB_DECISION: 'Governing Body decision recorded',
  WITHDRAW: 'withdrawn',
};

export function notificationTitle(type: GuidelineEventType, guidelineTitle: string): string {
  return `${guidelineTitle}: ${titles[type]}`;
}
