import { z } from 'zod';
import type { GbSession } from '../../db/schema.js';
import { createGbSession, updateGbSessionPaper } from '../../workflow/manage-gb-sessions.js';
import { gbSessionById, listGbSessions } from '../../workflow/read-meetings.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { gbSessionSchema, listOf, paperOptionsSchema } from '../schemas.js';
import { instant, positiveInteger } from '../validation.js';

const createBody = z
  .strictObject({
    number: positiveInteger,
    name: z.string().trim().min(1).max(300),
    venue: z.string().trim().min(1).max(200).optional(),
    startsAt: instant,
    endsAt: instant,
    documentDeadline: instant,
    /** How its paper is headed (symbol, committee, agenda item, purpose); a build may override each. */
    paper: paperOptionsSchema.optional(),
  })
  .refine((s) => s.endsAt >= s.startsAt, { path: ['endsAt'], message: 'ends before it starts' })
  .refine((s) => s.documentDeadline <= s.endsAt, {
    path: ['documentDeadline'],
    message: 'documents are due by the end of the session at the latest',
  });

const params = z.strictObject({ id: z.uuid() });

const gbSessionView = (s: GbSession) => ({
  id: s.id,
  number: s.number,
  name: s.name,
  venue: s.venue,
  startsAt: s.starts_at,
  endsAt: s.ends_at,
  documentDeadline: s.document_deadline,
  paper: s.paper,
});

/** Governing Body sessions, which receive the adopted guidelines. */
export const gbSessionEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/gb-sessions',
    tag: 'gb-sessions',
    summary: 'List Governing Body sessions, latest first',
    signedIn: true,
    responses: { 200: { description: 'Every session.', schema: listOf(gbSessionSchema) } },
    problems: [],
    async handle(_input, _req, res) {
      res.json({ items: (await listGbSessions(deps.db)).map(gbSessionView), nextCursor: null });
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/gb-sessions/:id',
    tag: 'gb-sessions',
    summary: 'One Governing Body session',
    description: 'Where the Location of a created session points.',
    signedIn: true,
    params,
    responses: { 200: { description: 'The session.', schema: gbSessionSchema } },
    problems: ['not_found'],
    async handle({ params }, _req, res) {
      res.json(gbSessionView(await gbSessionById(deps.db, params.id)));
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/gb-sessions',
    tag: 'gb-sessions',
    summary: 'Create a Governing Body session (secretariat)',
    description: 'Session numbers are unique (409 for a number already used).',
    signedIn: true,
    body: createBody,
    headers: ['Idempotency-Key'],
    responses: {
      201: { description: 'Created.', schema: gbSessionSchema, headers: ['Location'] },
    },
    problems: ['forbidden', 'conflict', 'unsupported_media_type', 'payload_too_large'],
    async handle({ body, user }, _req, res) {
      authorize(user, 'manage_gb_sessions');
      const session = await createGbSession(deps, body, user);
      res.status(201).location(`/api/v1/gb-sessions/${session.id}`).json(gbSessionView(session));
    },
  }),
  endpoint({
    method: 'patch',
    path: '/api/v1/gb-sessions/:id',
    tag: 'gb-sessions',
    summary: "Change how a session's paper is headed (secretariat)",
    description:
      "The `paper` fields given replace the session's own, and the next build is headed by them where its request does not say otherwise (a build request that names options changes the session's heading too). Recorded in the session's audit chain.",
    signedIn: true,
    params,
    body: z.strictObject({ paper: paperOptionsSchema }),
    responses: { 200: { description: 'The session.', schema: gbSessionSchema } },
    problems: ['forbidden', 'not_found', 'unsupported_media_type', 'payload_too_large'],
    async handle({ params, body, user }, _req, res) {
      authorize(user, 'manage_gb_sessions');
      res.json(gbSessionView(await updateGbSessionPaper(deps, params.id, body.paper, user)));
    },
  }),
];
