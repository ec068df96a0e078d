import type { GbDecision, Stance } from '../domain/vocabulary.js';

// What a person (or the system timer) asks of a guideline: the event's name and its payload as in
// SPEC section 2. The engine adds the facts the machine's guards need.

export type GuidelineCommand =
  | { type: 'SUBMIT' }
  | { type: 'RETURN_TO_DRAFTER'; reason: string }
  | { type: 'ACCEPT_FOR_REVIEW'; meetingId: string }
  | { type: 'SUBMIT_POSITION'; stance: Stance; statement: string }
  | { type: 'CLOSE_CONSULTATION' }
  | { type: 'CONSULTATION_DEADLINE' }
  | { type: 'RECORD_CONSENSUS'; summary: string }
  | { type: 'OPEN_VOTE' }
  | { type: 'REQUEST_REVISION'; instructions: string }
  | { type: 'CLOSE_VOTE' }
  | { type: 'VOTE_DEADLINE' }
  | { type: 'RESUBMIT' }
  | { type: 'INCLUDE_IN_SUBMISSION'; gbSessionId: string }
  | { type: 'RECORD_GB_DECISION'; decision: GbDecision; instructions?: string }
  | { type: 'WITHDRAW'; reason: string };
