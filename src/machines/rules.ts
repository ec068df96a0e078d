import { type GbDecision, type Group, groups, type Stance } from '../domain/vocabulary.js';
import type { EventOf, GuidelineEvent } from './events.js';

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

type Rule<E extends GuidelineEvent = GuidelineEvent> = (
  context: GuidelineContext,
  event: E,
  params?: RuleParams,
) => string | null;

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

type VoteClosing = EventOf<'CLOSE_VOTE'> | EventOf<'VOTE_DEADLINE'>;

/** A timer's VOTE_DEADLINE counts only once the deadline has really passed (it may have moved). */
const voteDeadlineUnmet = (e: VoteClosing) =>
  e.type === 'VOTE_DEADLINE' && !e.deadlinePassed ? 'the vote deadline has not been reached' : null;

export const rules = {
  textNotEmpty: ((_, e: EventOf<'SUBMIT'> | EventOf<'RESUBMIT'>) =>
    e.textIsEmpty ? 'the guideline text is empty' : null) as Rule,

  reasonGiven: ((_, e: EventOf<'RETURN_TO_DRAFTER'> | EventOf<'WITHDRAW'>) =>
    needsText(e.reason, 'a reason')) as Rule,

  meetingOpen: ((_, e: EventOf<'ACCEPT_FOR_REVIEW'>) => {
    if (!e.meeting) return 'no meeting of experts with that id exists';
    return e.meeting.closed ? 'that meeting of experts is closed' : null;
  }) as Rule,

  /** A parallel region takes only its own group's position, and only while it is open. */
  ownGroup: ((_, e: EventOf<'SUBMIT_POSITION'>, params) =>
    e.group === params?.group ? null : `this is the ${params?.group} group's position`) as Rule,

  consultationClosable: ((context, e: EventOf<'CLOSE_CONSULTATION'>) => {
    const awaited = groups.filter((g) => !context.positions[g]);
    if (awaited.length === 0 || e.deadlinePassed) return null;
    return `the position of ${listGroups(awaited)} is still awaited and the consultation deadline has not passed`;
  }) as Rule,

  deadlineReached: ((_, e: EventOf<'CONSULTATION_DEADLINE'> | EventOf<'VOTE_DEADLINE'>) =>
    e.deadlinePassed ? null : 'the deadline has not been reached') as Rule,

  noOpposition: ((context, e: EventOf<'RECORD_CONSENSUS'>) => {
    const opposing = groups.filter((g) => context.positions[g] === 'oppose');
    if (opposing.length > 0) {
      return `${listGroups(opposing)} opposed the text in this round, so there is no consensus to record: open a vote or request a revision`;
    }
    return needsText(e.summary, 'a summary of the consensus');
  }) as Rule,

  instructionsGiven: ((_, e: EventOf<'REQUEST_REVISION'>) =>
    needsText(e.instructions, 'instructions for the revision')) as Rule,

  votePassed: ((_, e: VoteClosing) =>
    voteDeadlineUnmet(e) ?? (e.outcome === 'passed' ? null : 'the vote did not pass')) as Rule,
  voteWithoutQuorum: ((_, e: VoteClosing) =>
    voteDeadlineUnmet(e) ?? (e.outcome === 'no_quorum' ? null : 'the quorum was met')) as Rule,
  voteFailedWithRoundsLeft: ((context, e: VoteClosing) =>
    voteDeadlineUnmet(e) ??
    (e.outcome === 'failed' && context.round < context.maxRounds
      ? null
      : 'the vote did not fail with rounds left')) as Rule,
  voteFailedInLastRound: ((context, e: VoteClosing) =>
    voteDeadlineUnmet(e) ??
    (e.outcome === 'failed' && context.round >= context.maxRounds
      ? null
      : 'the vote did not fail in the last round')) as Rule,

  allCommentsDisposed: ((context, e: EventOf<'RESUBMIT'>) => {
    if (e.textIsEmpty) return 'the guideline text is empty';
    if (e.openComments === 0) return null;
    const n = e.openComments;
    return `${n} comment${n === 1 ? '' : 's'} of round ${context.consultedRound} still ${n === 1 ? 'has' : 'have'} no disposition`;
  }) as Rule,

  sessionAcceptsDocuments: ((_, e: EventOf<'INCLUDE_IN_SUBMISSION'>) => {
    if (!e.session) return 'no Governing Body session with that id exists';
    return e.session.documentDeadlinePassed ? "the session's document deadline has passed" : null;
  }) as Rule,

  decisionIs: ((_, e: EventOf<'RECORD_GB_DECISION'>, params) =>
    e.decision === params?.decision ? null : `the decision is not ${params?.decision}`) as Rule,
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof rules;
