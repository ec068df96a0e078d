import { type GbDecision, type Group, groups, type Stance } from '../domain/vocabulary.js';
import type { EventOf, GuidelineEvent, GuidelineEventType } from './events.js';

// The guards of the guideline machine, each written once as a rule that returns null when it holds
// and otherwise the reason a person can read. The machine's guards and the "why can't I act?" answer
// both come from these functions.

export interface GuidelineContext {
  ownerId: string;
  /** The review round the guideline is in (1 until the first resubmission). */
  round: number;
  /** The last round that went to consultation (0 before the first). */
  consultedRound: number;
  maxRounds: number;
  meetingId: string | null;
  gbSessionId: string | null;
  /** The group positions of the current round, as far as they are in. */
  positions: Partial<Record<Group, Stance>>;
  lastVoteResult: 'passed' | 'failed' | 'no_quorum' | null;
}

/** A guard's rule: null when it holds, otherwise why not; `events` are the events it can judge. */
export interface Rule {
  (context: GuidelineContext, event: GuidelineEvent, params?: RuleParams): string | null;
  readonly events: readonly GuidelineEventType[];
}

const isOneOf = <T extends GuidelineEventType>(
  event: GuidelineEvent,
  types: readonly T[],
): event is EventOf<T> => types.some((type) => type === event.type);

/**
 * A rule that reads the events named, typed as those. The chart may put it only on their
 * transitions (tests/unit/rules.test.ts walks the chart); given any other event it throws, as a
 * misplaced guard is the code's mistake and must not read as a person's refusal.
 */
function rule<const T extends GuidelineEventType>(
  events: readonly T[],
  check: (context: GuidelineContext, event: EventOf<T>, params?: RuleParams) => string | null,
): Rule {
  const judge = (context: GuidelineContext, event: GuidelineEvent, params?: RuleParams) => {
    if (!isOneOf(event, events)) {
      throw new Error(`a guard for ${events.join(', ')} was given ${event.type}`);
    }
    return check(context, event, params);
  };
  return Object.assign(judge, { events });
}

/** Parameters a guard is given in the machine definition. */
export interface RuleParams {
  group?: Group;
  decision?: GbDecision;
}

const needsText = (value: string | undefined, what: string) =>
  value && value.trim().length > 0 ? null : `${what} is required`;

const listGroups = (names: readonly Group[]) =>
  names.length === 1
    ? `the ${names[0]} group`
    : `the ${names.slice(0, -1).join(', ')} and ${names.at(-1)} groups`;

const voteClosing = ['CLOSE_VOTE', 'VOTE_DEADLINE'] as const;
type VoteClosing = EventOf<(typeof voteClosing)[number]>;

/** A timer's VOTE_DEADLINE counts only once the deadline has really passed (it may have moved). */
const voteDeadlineUnmet = (e: VoteClosing) =>
  e.type === 'VOTE_DEADLINE' && !e.deadlinePassed ? 'the vote deadline has not been reached' : null;

export const rules = {
  textNotEmpty: rule(['SUBMIT', 'RESUBMIT'], (_, e) =>
    e.textIsEmpty ? 'the guideline text is empty' : null,
  ),

  reasonGiven: rule(['RETURN_TO_DRAFTER', 'WITHDRAW'], (_, e) => needsText(e.reason, 'a reason')),

  meetingOpen: rule(['ACCEPT_FOR_REVIEW'], (_, e) => {
    if (!e.meeting) return 'no meeting of experts with that id exists';
    return e.meeting.closed ? 'that meeting of experts is closed' : null;
  }),

  /** A parallel region takes only its own group's position, and only while it is open. */
  ownGroup: rule(['SUBMIT_POSITION'], (_, e, params) =>
    e.group === params?.group ? null : `this is the ${params?.group} group's position`,
  ),

  consultationClosable: rule(['CLOSE_CONSULTATION'], (context, e) => {
    const awaited = groups.filter((g) => !context.positions[g]);
    if (awaited.length === 0 || e.deadlinePassed) return null;
    return `the position of ${listGroups(awaited)} is still awaited and the consultation deadline has not passed`;
  }),

  deadlineReached: rule(['CONSULTATION_DEADLINE', 'VOTE_DEADLINE'], (_, e) =>
    e.deadlinePassed ? null : 'the deadline has not been reached',
  ),

  noOpposition: rule(['RECORD_CONSENSUS'], (context, e) => {
    const opposing = groups.filter((g) => context.positions[g] === 'oppose');
    if (opposing.length > 0) {
      return `${listGroups(opposing)} opposed the text in this round, so there is no consensus to record: open a vote or request a revision`;
    }
    return needsText(e.summary, 'a summary of the consensus');
  }),

  instructionsGiven: rule(['REQUEST_REVISION'], (_, e) =>
    needsText(e.instructions, 'instructions for the revision'),
  ),

  votePassed: rule(
    voteClosing,
    (_, e) => voteDeadlineUnmet(e) ?? (e.outcome === 'passed' ? null : 'the vote did not pass'),
  ),
  voteWithoutQuorum: rule(
    voteClosing,
    (_, e) => voteDeadlineUnmet(e) ?? (e.outcome === 'no_quorum' ? null : 'the quorum was met'),
  ),
  voteFailedWithRoundsLeft: rule(
    voteClosing,
    (context, e) =>
      voteDeadlineUnmet(e) ??
      (e.outcome === 'failed' && context.round < context.maxRounds
        ? null
        : 'the vote did not fail with rounds left'),
  ),
  voteFailedInLastRound: rule(
    voteClosing,
    (context, e) =>
      voteDeadlineUnmet(e) ??
      (e.outcome === 'failed' && context.round >= context.maxRounds
        ? null
        : 'the vote did not fail in the last round'),
  ),

  allCommentsDisposed: rule(['RESUBMIT'], (context, e) => {
    if (e.textIsEmpty) return 'the guideline text is empty';
    if (e.openComments === 0) return null;
    const n = e.openComments;
    return `${n} comment${n === 1 ? '' : 's'} of round ${context.consultedRound} still ${n === 1 ? 'has' : 'have'} no disposition`;
  }),

  sessionAcceptsDocuments: rule(['INCLUDE_IN_SUBMISSION'], (_, e) => {
    if (!e.session) return 'no Governing Body session with that id exists';
    return e.session.documentDeadlinePassed ? "the session's document deadline has passed" : null;
  }),

  decisionIs: rule(['RECORD_GB_DECISION'], (_, e, params) =>
    e.decision === params?.decision ? null : `the decision is not ${params?.decision}`,
  ),
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof rules;
