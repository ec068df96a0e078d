import { z } from 'zod';
import {
  type EventOf,
  type GuidelineEvent,
  type GuidelineEventType,
  guidelineEventTypes,
} from '../../machines/events.js';
import { acceptForReview } from './accept-for-review.js';
import { closeConsultation } from './close-consultation.js';
import { closeVote } from './close-vote.js';
import { consultationDeadline } from './consultation-deadline.js';
import type { CommandSchema, EventDefinition } from './definition.js';
import { includeInSubmission } from './include-in-submission.js';
import { openVote } from './open-vote.js';
import { recordConsensus } from './record-consensus.js';
import { recordGbDecision } from './record-gb-decision.js';
import { requestRevision } from './request-revision.js';
import { resubmit } from './resubmit.js';
import { returnToDrafter } from './return-to-drafter.js';
import { submit } from './submit.js';
import { submitPosition } from './submit-position.js';
import { voteDeadline } from './vote-deadline.js';
import { withdraw } from './withdraw.js';

// Every workflow event of the statechart, each by its definition (one file per event). The record
// must name each of the machine's events with a definition for exactly that event, so a new event in
// machines/events.ts does not compile until it is defined here; everything else is read off it.

export const eventDefinitions = {
  SUBMIT: submit,
  RETURN_TO_DRAFTER: returnToDrafter,
  ACCEPT_FOR_REVIEW: acceptForReview,
  SUBMIT_POSITION: submitPosition,
  CLOSE_CONSULTATION: closeConsultation,
  CONSULTATION_DEADLINE: consultationDeadline,
  RECORD_CONSENSUS: recordConsensus,
  OPEN_VOTE: openVote,
  REQUEST_REVISION: requestRevision,
  CLOSE_VOTE: closeVote,
  VOTE_DEADLINE: voteDeadline,
  RESUBMIT: resubmit,
  INCLUDE_IN_SUBMISSION: includeInSubmission,
  RECORD_GB_DECISION: recordGbDecision,
  WITHDRAW: withdraw,
} as const satisfies { [T in GuidelineEventType]: EventDefinition<EventOf<T>, CommandSchema<T>> };

type Definitions = typeof eventDefinitions;

/** What a person (or the system timer) asks of a guideline: an event's name and its payload. */
export type GuidelineCommand = {
  [T in GuidelineEventType]: z.output<Definitions[T]['command']>;
}[GuidelineEventType];

/** Any one definition, as the engine handles it without knowing which. */
export type AnyEventDefinition = EventDefinition<GuidelineEvent, CommandSchema<GuidelineEventType>>;

const definitions: Readonly<Record<GuidelineEventType, AnyEventDefinition>> = eventDefinitions;

export const definitionOf = (type: GuidelineEventType): AnyEventDefinition => definitions[type];

/** The body of `POST /guidelines/:id/events`: one strict object per event, told apart by `type`. */
export function commandBodyOf<D extends { command: z.ZodObject & z.ZodType<{ type: string }> }>(
  list: Readonly<Record<string, D>>,
) {
  const [first, ...rest] = Object.values(list).map((d) => d.command as D['command']);
  if (!first) throw new Error('a workflow has at least one event');
  return z.discriminatedUnion('type', [first, ...rest]);
}

export const commandBody: z.ZodType<GuidelineCommand> = commandBodyOf(eventDefinitions);

/** The events whose audit entries are of this kind (see EventDefinition.entry). */
export const eventsWithEntry = (entry: AnyEventDefinition['entry']): GuidelineEventType[] =>
  guidelineEventTypes.filter((type) => definitions[type].entry === entry);
