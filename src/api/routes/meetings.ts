import { z } from 'zod';
import {
  ballotKinds,
  commentAttributions,
  requiredMajorities,
  votingRules,
} from '../../domain/vocabulary.js';
import { createMeeting, setMeetingMembers, updateMeeting } from '../../workflow/manage-meetings.js';
import { listMeetings, type MeetingRecord, meetingRecord } from '../../workflow/read-meetings.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { listOf, meetingSchema } from '../schemas.js';
import { instant, quorumFraction, reminderOffsets } from '../validation.js';

const createBody = z
  .strictObject({
    framework: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      .optional(),
    name: z.string().trim().min(1).max(300),
    venue: z.string().trim().min(1).max(200).optional(),
    startsAt: instant,
    endsAt: instant,
    votingRule: z.enum(votingRules).default('weighted_majority'),
    requiredMajority: z.enum(requiredMajorities).default('simple'),
    quorum: quorumFraction.default(0.5),
    requireEachGroup: z.boolean().default(true),
    ballot: z.enum(ballotKinds).default('open'),
    commentAttribution: z.enum(commentAttributions).default('group'),
    maxRounds: z.number().int().min(1).max(20).default(3),
    consultationDeadline: instant.optional(),
    voteDeadline: instant.optional(),
    reminderOffsets: reminderOffsets.optional(),
  })
  .refine((m) => m.endsAt >= m.startsAt, { path: ['endsAt'], message: 'ends before it starts' });
const changesBody = z
  .strictObject({
    name: z.string().trim().min(1).max(300).optional(),
    venue: z.string().trim().min(1).max(200).nullable().optional(),
    startsAt: instant.optional(),
    endsAt: instant.optional(),
    votingRule: z.enum(votingRules).optional(),
    requiredMajority: z.enum(requiredMajorities).optional(),
    quorum: quorumFraction.optional(),
    requireEachGroup: z.boolean().optional(),
    ballot: z.enum(ballotKinds).optional(),
    commentAttribution: z.enum(commentAttributions).optional(),
    maxRounds: z.number().int().min(1).max(20).optional(),
    consultationDeadline: instant.nullable().optional(),
    voteDeadline: instant.nullable().optional(),
    reminderOffsets: reminderOffsets.optional(),
    closed: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one field to change');
const membersBody = z.strictObject({ userIds: z.array(z.uuid()).max(1000) });
const params = z.strictObject({ id: z.uuid() });

/** The meeting as the API shows it, with its members. */
function meetingView({ meeting, framework, memberIds }: MeetingRecord) {
  return {
    id: meeting.id,
    framework,
    name: meeting.name,
    venue: meeting.venue,
    startsAt: meeting.starts_at,
    endsAt: meeting.ends_at,
    votingRule: meeting.voting_rule,
    requiredMajority: meeting.required_majority,
    quorum: meeting.quorum,
    requireEachGroup: meeting.require_each_group,
    ballot: meeting.ballot,
    commentAttribution: meeting.comment_attribution,
    maxRounds: meeting.max_rounds,
    consultationDeadline: meeting.consultation_deadline,
    voteDeadline: meeting.vote_deadline,
    reminderOffsets: meeting.reminder_offsets,
    closedAt: meeting.closed_at,
    memberIds,
  };
}

/** Meetings of experts: their voting rules, deadlines and members. */
export const meetingEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/meetings',
    tag: 'meetings',
    summary: 'List meetings, latest first',
    signedIn: true,
    responses: { 200: { description: 'Every meeting.', schema: listOf(meetingSchema) } },
    problems: [],
    async handle(_input, _req, res) {
      res.json({ items: (await listMeetings(deps.db)).map(meetingView), nextCursor: null });
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/meetings',
    tag: 'meetings',
    summary: 'Create a meeting (secretariat)',
    description:
      'Rules not given take the usual values: weighted majority, simple, quorum 0.5 with each group present, open ballot, three rounds.',
    signedIn: true,
    body: createBody,
    headers: ['Idempotency-Key'],
    responses: {
      201: { description: 'Created.', schema: meetingSchema, headers: ['Location'] },
    },
    problems: ['forbidden', 'unsupported_media_type', 'payload_too_large'],
    async handle({ body, user }, _req, res) {
      authorize(user, 'manage_meetings');
      const meeting = await createMeeting(deps, body, user);
      res
        .status(201)
        .location(`/api/v1/meetings/${meeting.id}`)
        .json(meetingView(await meetingRecord(deps.db, meeting)));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/meetings/:id',
    tag: 'meetings',
    summary: 'A meeting, with its rules and members',
    signedIn: true,
    params,
    responses: { 200: { description: 'The meeting.', schema: meetingSchema } },
    problems: ['not_found'],
    async handle({ params }, _req, res) {
      res.json(meetingView(await meetingRecord(deps.db, params.id)));
    },
  }),
  endpoint({
    method: 'patch',
    path: '/api/v1/meetings/:id',
    tag: 'meetings',
    summary: 'Change a meeting: dates, deadlines, rules, closed (secretariat)',
    description:
      'A deadline set to null is removed. A vote already open keeps the rules it was opened with. A closed meeting takes no more guidelines for review.',
    signedIn: true,
    params,
    body: changesBody,
    responses: { 200: { description: 'The meeting as changed.', schema: meetingSchema } },
    problems: ['forbidden', 'not_found', 'unsupported_media_type', 'payload_too_large'],
    async handle({ params, body, user }, _req, res) {
      authorize(user, 'manage_meetings');
      res.json(
        meetingView(await meetingRecord(deps.db, await updateMeeting(deps, params.id, body, user))),
      );
    },
  }),
  endpoint({
    method: 'put',
    path: '/api/v1/meetings/:id/members',
    tag: 'meetings',
    summary: "Set a meeting's members (secretariat)",
    description:
      'Replaces the member list with these active experts and observers. A vote already open keeps the electorate it was opened with.',
    signedIn: true,
    params,
    body: membersBody,
    responses: { 200: { description: 'The meeting with its new members.', schema: meetingSchema } },
    problems: ['forbidden', 'not_found', 'unsupported_media_type', 'payload_too_large'],
    async handle({ params, body, user }, _req, res) {
      authorize(user, 'manage_meetings');
      await setMeetingMembers(deps, params.id, body.userIds, user);
      res.json(meetingView(await meetingRecord(deps.db, params.id)));
    },
  }),
];
