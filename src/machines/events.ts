import type { Tally } from '../domain/tally.js';
import type { GbDecision, Group, Stance, VoteResult } from '../domain/vocabulary.js';

// The events the guideline machine takes. Each carries what the user sent plus the facts the engine
// looked up for the guards (the machine itself never reads a database or a clock).

export type GuidelineEvent =
  | { type: 'SUBMIT'; textIsEmpty: boolean }
  | { type: 'RETURN_TO_DRAFTER'; reason: string }
  | {
      type: 'ACCEPT_FOR_REVIEW';
      meetingId: string;
      /** null when no such meeting exists. */
      meeting: { closed: boolean; maxRounds: number } | null;
    }
  | { type: 'SUBMIT_POSITION'; group: Group; stance: Stance; statement: string }
  | { type: 'CLOSE_CONSULTATION'; deadlinePassed: boolean }
  | { type: 'CONSULTATION_DEADLINE'; deadlinePassed: boolean }
  | { type: 'RECORD_CONSENSUS'; summary: string }
  | { type: 'OPEN_VOTE' }
  | { type: 'REQUEST_REVISION'; instructions: string }
  /** `tally` is the count that decided the outcome (none when no vote was open). */
  | { type: 'CLOSE_VOTE'; outcome: VoteResult; tally?: Tally }
  | { type: 'VOTE_DEADLINE'; outcome: VoteResult; deadlinePassed: boolean; tally?: Tally }
  | { type: 'RESUBMIT'; openComments: number; textIsEmpty: boolean }
  | {
      type: 'INCLUDE_IN_SUBMISSION';
      gbSessionId: string;
      /** null when no such session exists. */
      session: { documentDeadlinePassed: boolean } | null;
    }
  | { type: 'RECORD_GB_DECISION'; decision: GbDecision; instructions?: string }
  | { type: 'WITHDRAW'; reason: string };

export type GuidelineEventType = GuidelineEvent['type'];
export type EventOf<T extends GuidelineEventType> = Extract<GuidelineEvent, { type: T }>;

/** Every event, in the order the chart meets them (allowedEvents lists them so). */
export const guidelineEventTypes = [
  'SUBMIT',
  'RETURN_TO_DRAFTER',
  'ACCEPT_FOR_REVIEW',
  'SUBMIT_POSITION',
  'CLOSE_CONSULTATION',
  'CONSULTATION_DEADLINE',
  'RECORD_CONSENSUS',
  'OPEN_VOTE',
  'REQUEST_REVISION',
  'CLOSE_VOTE',
  'VOTE_DEADLINE',
  'RESUBMIT',
  'INCLUDE_IN_SUBMISSION',
  'RECORD_GB_DECISION',
  'WITHDRAW',
] as const satisfies readonly GuidelineEventType[];

// The list must name every event: one left out would be missing from allowedEvents and from what a
// webhook may subscribe to. This line does not compile until it does (the error names the event).
type Unlisted = Exclude<GuidelineEventType, (typeof guidelineEventTypes)[number]>;
const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyEventListed;
