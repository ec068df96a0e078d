import { assertEvent, assign, setup } from 'xstate';
import type { Group } from '../domain/vocabulary.js';
import type { GuidelineAction } from './actions.js';
import type { GuidelineEvent } from './events.js';
import { type GuidelineContext, type RuleName, type RuleParams, rules } from './rules.js';

// The lifecycle of one guideline (SPEC section 2). Pure: no database, no HTTP, no clock. The engine
// applies events with XState's transition() to a stored snapshot; the rows an event writes are
// declared by its definition (src/workflow/events/), and the named effects below show them on the
// chart. A state's tags say which actions (machines/actions.ts) people may take in it.

/** Stored with every guideline; raise it when a stored snapshot would no longer resolve. */
export const MACHINE_VERSION = 1;

export interface GuidelineInput {
  ownerId: string;
}

/** Effects the engine performs when a transition names them. */
export const effects = [
  'freezeRevision',
  'storePosition',
  'openVote',
  'closeVote',
  'recordConsensus',
  'recordGbDecision',
] as const;
export type Effect = (typeof effects)[number];
const effect = () => {};

const guard =
  (name: RuleName) =>
  ({ context, event }: { context: GuidelineContext; event: GuidelineEvent }, params?: RuleParams) =>
    rules[name](context, event, params) === null;

const positionRegion = (group: Group) => ({
  initial: 'open' as const,
  states: {
    open: {
      on: {
        SUBMIT_POSITION: {
          guard: { type: 'ownGroup' as const, params: { group } },
          target: 'position_submitted' as const,
          actions: ['recordPosition' as const, 'storePosition' as const],
        },
      },
    },
    position_submitted: {},
  },
});

// WITHDRAW is listed on each non-final state rather than on the root: transition() on a finished
// snapshot would still take a root-level event and reopen a decided guideline.
const withdraw = { WITHDRAW: { guard: 'reasonGiven', target: '#guideline.withdrawn' } } as const;

// Closing a vote by hand or at its deadline leads to the same four outcomes (SPEC section 2).
const closing = ['recordVoteResult', 'closeVote'] as const;
const voteOutcomes = [
  { guard: 'votePassed', target: 'adopted', actions: closing },
  { guard: 'voteWithoutQuorum', target: 'deliberation', actions: closing },
  { guard: 'voteFailedWithRoundsLeft', target: 'revision', actions: closing },
  { guard: 'voteFailedInLastRound', target: 'rejected', actions: closing },
] as const;

export const guidelineMachine = setup({
  types: {
    context: {} as GuidelineContext,
    events: {} as GuidelineEvent,
    input: {} as GuidelineInput,
    tags: {} as GuidelineAction,
  },
  guards: {
    textNotEmpty: guard('textNotEmpty'),
    reasonGiven: guard('reasonGiven'),
    meetingOpen: guard('meetingOpen'),
    ownGroup: guard('ownGroup'),
    consultationClosable: guard('consultationClosable'),
    deadlineReached: guard('deadlineReached'),
    noOpposition: guard('noOpposition'),
    instructionsGiven: guard('instructionsGiven'),
    votePassed: guard('votePassed'),
    voteWithoutQuorum: guard('voteWithoutQuorum'),
    voteFailedWithRoundsLeft: guard('voteFailedWithRoundsLeft'),
    voteFailedInLastRound: guard('voteFailedInLastRound'),
    allCommentsDisposed: guard('allCommentsDisposed'),
    sessionAcceptsDocuments: guard('sessionAcceptsDocuments'),
    decisionIs: guard('decisionIs'),
  },
  actions: {
    freezeRevision: effect,
    storePosition: effect,
    openVote: effect,
    closeVote: effect,
    recordConsensus: effect,
    recordGbDecision: effect,
    assignMeeting: assign(({ event }) => {
      assertEvent(event, 'ACCEPT_FOR_REVIEW');
      return { meetingId: event.meetingId, maxRounds: event.meeting?.maxRounds ?? 1 };
    }),
    openConsultation: assign(({ context }) => ({ consultedRound: context.round, positions: {} })),
    recordPosition: assign(({ context, event }) => {
      assertEvent(event, 'SUBMIT_POSITION');
      return { positions: { ...context.positions, [event.group]: event.stance } };
    }),
    recordVoteResult: assign(({ event }) => {
      assertEvent(event, ['CLOSE_VOTE', 'VOTE_DEADLINE']);
      return { lastVoteResult: event.outcome };
    }),
    // A referral by the Governing Body has already opened the next round.
    startNextRound: assign(({ context }) => ({
      round: Math.max(context.round, context.consultedRound + 1),
    })),
    openReferralRound: assign(({ context }) => ({ round: context.round + 1 })),
    assignGbSession: assign(({ event }) => {
      assertEvent(event, 'INCLUDE_IN_SUBMISSION');
      return { gbSessionId: event.gbSessionId };
    }),
  },
}).createMachine({
  id: 'guideline',
  initial: 'drafting',
  context: ({ input }) => ({
    ownerId: input.ownerId,
    round: 1,
    consultedRound: 0,
    maxRounds: 3,
    meetingId: null,
    gbSessionId: null,
    positions: {},
    lastVoteResult: null,
  }),
  states: {
    drafting: {
      tags: ['EDIT_TEXT'],
      on: {
        ...withdraw,
        SUBMIT: {
          guard: 'textNotEmpty',
          target: 'secretariat_check',
          actions: 'freezeRevision',
        },
      },
    },
    secretariat_check: {
      on: {
        ...withdraw,
        RETURN_TO_DRAFTER: { guard: 'reasonGiven', target: 'drafting' },
        ACCEPT_FOR_REVIEW: {
          guard: 'meetingOpen',
          target: 'consultation',
          actions: 'assignMeeting',
        },
      },
    },
    consultation: {
      type: 'parallel',
      tags: ['COMMENT', 'REPLY'],
      entry: 'openConsultation',
      states: {
        government: positionRegion('government'),
        employers: positionRegion('employers'),
        workers: positionRegion('workers'),
      },
      on: {
        ...withdraw,
        CLOSE_CONSULTATION: { guard: 'consultationClosable', target: 'deliberation' },
        CONSULTATION_DEADLINE: { guard: 'deadlineReached', target: 'deliberation' },
      },
    },
    deliberation: {
      tags: ['REPLY'],
      on: {
        ...withdraw,
        RECORD_CONSENSUS: {
          guard: 'noOpposition',
          target: 'adopted',
          actions: 'recordConsensus',
        },
        OPEN_VOTE: { target: 'voting', actions: 'openVote' },
        REQUEST_REVISION: { guard: 'instructionsGiven', target: 'revision' },
      },
    },
    voting: {
      tags: ['VOTE'],
      on: {
        ...withdraw,
        CLOSE_VOTE: voteOutcomes,
        VOTE_DEADLINE: voteOutcomes,
      },
    },
    revision: {
      tags: ['EDIT_TEXT', 'REPLY', 'DISPOSE_COMMENT'],
      on: {
        ...withdraw,
        RESUBMIT: {
          guard: 'allCommentsDisposed',
          target: 'consultation',
          actions: ['startNextRound', 'freezeRevision'],
        },
      },
    },
    adopted: {
      on: {
        ...withdraw,
        INCLUDE_IN_SUBMISSION: {
          guard: 'sessionAcceptsDocuments',
          target: 'submitted_to_gb',
          // The text is locked from here on: it can be edited only in drafting and revision.
          actions: 'assignGbSession',
        },
      },
    },
    submitted_to_gb: {
      on: {
        ...withdraw,
        RECORD_GB_DECISION: [
          {
            guard: { type: 'decisionIs', params: { decision: 'approved' } },
            target: 'approved',
            actions: 'recordGbDecision',
          },
          {
            guard: { type: 'decisionIs', params: { decision: 'referred_back' } },
            target: 'revision',
            actions: ['openReferralRound', 'recordGbDecision'],
          },
          {
            guard: { type: 'decisionIs', params: { decision: 'deferred' } },
            target: 'adopted',
            actions: 'recordGbDecision',
          },
        ],
      },
    },
    approved: { type: 'final' },
    rejected: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});
