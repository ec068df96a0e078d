import { z } from 'zod';
import {
  anchorStatuses,
  ballotChoices,
  ballotKinds,
  commentAttributions,
  dispositions,
  groups,
  guidelineStates,
  requiredMajorities,
  roles,
  stances,
  voteResults,
  votingRules,
} from '../domain/vocabulary.js';
import { guidelineActions } from '../machines/actions.js';
import { guidelineEventTypes } from '../machines/events.js';

// What the API answers, as JSON on the wire. These schemas document responses in the OpenAPI
// document and let the tests check every answer against it; handlers build the values themselves.

const timestamp = z.iso.datetime();
const id = z.uuid();

export const problemSchema = z
  .object({
    type: z.string(),
    status: z.number().int(),
    code: z.string(),
    title: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with a stable `code`.' });

export const userSchema = z
  .strictObject({
    id,
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    group: z.enum(groups).nullable(),
    spokesperson: z.boolean(),
    organisation: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'User' });

export const sessionSchema = z
  .strictObject({ token: z.string(), user: userSchema })
  .meta({ id: 'Session' });

const allowedEventSchema = z.strictObject({
  type: z.enum(guidelineEventTypes),
  allowed: z.boolean(),
  reason: z.string().optional(),
});

const allowedActionSchema = z.strictObject({
  type: z.enum(guidelineActions),
  allowed: z.boolean(),
  reason: z.string().optional(),
});

const guidelineFields = {
  id,
  title: z.string(),
  section: z.string(),
  state: z.enum(guidelineStates),
  round: z.number().int(),
  version: z.number().int(),
  ownerId: id,
  meetingId: id.nullable(),
  gbSessionId: id.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

export const guidelineSummarySchema = z
  .strictObject(guidelineFields)
  .meta({ id: 'GuidelineSummary' });

export const guidelineSchema = z
  .strictObject({
    ...guidelineFields,
    stateValue: z.union([z.string(), z.record(z.string(), z.unknown())]),
    text: z.string(),
    references: z.array(z.string()),
    allowedEvents: z.array(allowedEventSchema),
    allowedActions: z.array(allowedActionSchema),
  })
  .meta({ id: 'Guideline' });

export const meetingSchema = z
  .strictObject({
    id,
    framework: z.string(),
    name: z.string(),
    venue: z.string().nullable(),
    startsAt: timestamp,
    endsAt: timestamp,
    votingRule: z.enum(votingRules),
    requiredMajority: z.enum(requiredMajorities),
    quorum: z.number(),
    requireEachGroup: z.boolean(),
    ballot: z.enum(ballotKinds),
    commentAttribution: z
      .enum(commentAttributions)
      .describe(
        "How the Governing Body paper names those who commented: 'group' (role and group) or 'name'.",
      ),
    maxRounds: z.number().int(),
    consultationDeadline: timestamp.nullable(),
    voteDeadline: timestamp.nullable(),
    reminderOffsets: z
      .array(z.string())
      .describe(
        'ISO 8601 durations before each deadline at which those who have not acted are reminded.',
      ),
    closedAt: timestamp.nullable(),
    memberIds: z.array(id),
  })
  .meta({ id: 'Meeting' });

const paperText = (max: number) => z.string().trim().min(1).max(max);
/** How a Governing Body paper is headed: in a build request, or as a session's own settings. */
export const paperOptionsSchema = z
  .strictObject({
    symbol: paperText(60).optional(),
    agendaItem: paperText(200).optional(),
    purpose: paperText(60).optional(),
    committee: paperText(200).optional(),
  })
  .meta({ id: 'PaperOptions' });

export const gbSessionSchema = z
  .strictObject({
    id,
    number: z.number().int(),
    name: z.string(),
    venue: z.string().nullable(),
    startsAt: timestamp,
    endsAt: timestamp,
    documentDeadline: timestamp,
    paper: paperOptionsSchema,
  })
  .meta({ id: 'GbSession' });

export const sectionSchema = z
  .strictObject({ id, slug: z.string(), number: z.number().int(), title: z.string() })
  .meta({ id: 'Section' });

const revisionFields = {
  number: z.number().int(),
  round: z.number().int(),
  title: z.string(),
  createdBy: id,
  createdAt: timestamp,
};
export const revisionSummarySchema = z.strictObject(revisionFields).meta({ id: 'RevisionSummary' });
export const revisionSchema = z
  .strictObject({ ...revisionFields, text: z.string(), references: z.array(z.string()) })
  .meta({ id: 'Revision' });

export const diffSchema = z
  .strictObject({
    from: z.number().int(),
    to: z.number().int(),
    granularity: z.enum(['word', 'line', 'paragraph']),
    operations: z.array(
      z.strictObject({ op: z.enum(['equal', 'insert', 'delete']), text: z.string() }),
    ),
    html: z.string(),
    stats: z.strictObject({ insertedWords: z.number().int(), deletedWords: z.number().int() }),
  })
  .meta({ id: 'Diff' });

export const historyEntrySchema = z
  .strictObject({
    seq: z.number().int(),
    event: z.string(),
    actorId: id.nullable(),
    actorRole: z.string().nullable(),
    fromState: z.string().nullable(),
    toState: z.string().nullable(),
    version: z.number().int().nullable(),
    payload: z.record(z.string(), z.unknown()),
    occurredAt: timestamp,
    hash: z.string(),
  })
  .meta({ id: 'HistoryEntry' });

export const auditReportSchema = z
  .strictObject({
    ok: z.boolean(),
    chains: z.number().int(),
    entries: z.number().int(),
    firstBreak: z
      .object({ chain: z.string(), seq: z.number().int(), entryId: z.number().int().nullable() })
      .catchall(z.unknown())
      .nullable(),
  })
  .meta({ id: 'AuditReport' });

export const auditHeadSchema = z
  .strictObject({
    algorithm: z.literal('sha256'),
    digest: z.string().regex(/^[0-9a-f]{64}$/),
    chains: z.number().int(),
    heads: z.array(
      z.strictObject({
        chain: z.string(),
        seq: z.number().int(),
        hash: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    ),
  })
  .meta({ id: 'AuditHead' });

const chartTransitionSchema = z
  .strictObject({
    event: z.string(),
    target: z.string().nullable(),
    guard: z.string().nullable(),
    effects: z.array(z.string()),
  })
  .meta({ id: 'WorkflowTransition' });

const chartStateSchema = z
  .strictObject({
    id: z.string(),
    key: z.string(),
    type: z.enum(['atomic', 'compound', 'parallel', 'final', 'history']),
    initial: z.string().nullable(),
    /** The actions (SPEC section 2) people may take in this state. */
    actions: z.array(z.string()),
    on: z.array(chartTransitionSchema),
    get states(): z.ZodArray<typeof chartStateSchema> {
      return z.array(chartStateSchema);
    },
  })
  .meta({ id: 'WorkflowState' });

export const workflowChartSchema = z
  .strictObject({
    id: z.string(),
    machineVersion: z.number().int(),
    initial: z.string().nullable(),
    states: z.array(chartStateSchema),
    /** The same actions by action: the top-level states in which each is possible. */
    actions: z.array(z.strictObject({ type: z.string(), states: z.array(z.string()) })),
  })
  .meta({ id: 'WorkflowChart' });

/** A page of a list: `{items, nextCursor}`. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });

/** Lists that are short enough never to need a cursor still answer in the same shape. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.null() });

export const commentSchema = z
  .strictObject({
    id,
    guidelineId: id,
    revision: z.number().int(),
    round: z.number().int(),
    parentId: id.nullable(),
    authorId: id,
    authorRole: z.enum(roles),
    authorGroup: z.enum(groups).nullable(),
    body: z.string(),
    anchor: z
      .strictObject({
        paragraph: z.number().int(),
        exact: z.string(),
        prefix: z.string().optional(),
        suffix: z.string().optional(),
      })
      .nullable(),
    anchorStatus: z.enum(anchorStatuses).nullable(),
    /** Where the anchored passage is in the latest revision (the last place known, if orphaned). */
    currentParagraph: z.number().int().nullable(),
    proposedText: z.string().nullable(),
    disposition: z.enum(dispositions).nullable(),
    dispositionNote: z.string().nullable(),
    disposedAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Comment' });

export const dispositionRowSchema = z
  .strictObject({
    commentId: id,
    authorGroup: z.enum(groups).nullable(),
    authorRole: z.enum(roles),
    paragraph: z.number().int().nullable(),
    excerpt: z.string(),
    disposition: z.enum(dispositions).nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'DispositionRow' });

export const positionSchema = z
  .strictObject({
    group: z.enum(groups),
    round: z.number().int(),
    sealed: z.boolean(),
    stance: z.enum(stances).nullable(),
    statement: z.string().nullable(),
    submittedBy: id.nullable(),
    submittedAt: timestamp,
  })
  .meta({ id: 'Position' });

export const ballotSchema = z
  .strictObject({
    choice: z.enum(ballotChoices),
    castAt: timestamp,
    changed: z.boolean(),
    round: z.number().int(),
    vote: z.number().int(),
  })
  .meta({ id: 'Ballot' });

/** Counts are null where a secret ballot's disclosure withholds them. */
const groupTallySchema = z.strictObject({
  members: z.number().int(),
  weight: z.number(),
  yes: z.number().int().nullable(),
  no: z.number().int().nullable(),
  abstain: z.number().int().nullable(),
  majority: z.boolean().nullable(),
});
export const tallySchema = z
  .strictObject({
    round: z.number().int(),
    vote: z.number().int(),
    open: z.boolean(),
    votingRule: z.enum(votingRules),
    requiredMajority: z.enum(requiredMajorities),
    quorum: z.number(),
    requireEachGroup: z.boolean(),
    ballot: z.enum(ballotKinds),
    disclosure: z.enum(['full', 'totals_only', 'turnout_only']),
    turnout: z.strictObject({ ballots: z.number().int(), electors: z.number().int() }),
    strength: z.number().int(),
    totalStrength: z.number().int(),
    groups: z.strictObject({
      government: groupTallySchema,
      employers: groupTallySchema,
      workers: groupTallySchema,
    }),
    weighted: z
      .strictObject({
        yes: z.number(),
        no: z.number(),
        abstain: z.number(),
        cast: z.number(),
      })
      .nullable(),
    quorumReached: z
      .strictObject({
        required: z.number(),
        cast: z.number(),
        eachGroupVoted: z.boolean(),
        met: z.boolean(),
      })
      .nullable(),
    result: z.enum(voteResults).nullable(),
  })
  .meta({ id: 'Tally' });
