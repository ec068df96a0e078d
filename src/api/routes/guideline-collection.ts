import { z } from 'zod';
import { actorOf } from '../../domain/permissions.js';
import { guidelineStates } from '../../domain/vocabulary.js';
import { createGuideline } from '../../workflow/create-guideline.js';
import { editText } from '../../workflow/edit-text.js';
import { listGuidelines } from '../../workflow/list-guidelines.js';
import { sectionIdBySlug } from '../../workflow/sections.js';
import { authorize } from '../access.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { HttpProblem } from '../problem.js';
import { guidelineSchema, guidelineSummarySchema, pageOf } from '../schemas.js';
import { timeCursor } from '../validation.js';
import { etagOf, guidelineChangeProblems, guidelineId, guidelineView } from './guideline-view.js';
import { expectedVersion } from './if-match.js';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a section slug such as protection');
const body = z.string().max(200_000);
const title = z.string().trim().min(1).max(300);
export const guidelineParams = z.strictObject({ id: z.string() });

const createBody = z.strictObject({
  title,
  section: slug,
  text: body,
  references: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
});
const textBody = z.strictObject({ text: body, title: title.optional() });

const listQuery = z.strictObject({
  state: z.enum(guidelineStates).optional(),
  section: slug.optional(),
  meeting: z.uuid().optional(),
  cursor: timeCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Listing and creating guidelines, and editing a draft's working text. */
export const guidelineCollectionEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/guidelines',
    tag: 'guidelines',
    summary: 'List the guidelines the caller may see',
    description: 'Filters by state, section and meeting; newest first, in pages with a cursor.',
    signedIn: true,
    query: listQuery,
    responses: { 200: { description: 'A page.', schema: pageOf(guidelineSummarySchema) } },
    problems: [],
    async handle({ query, user }, _req, res) {
      const page = await listGuidelines(deps.db, user, query, {
        limit: query.limit,
        after: query.cursor,
      });
      res.json({
        items: page.items.map((g) => ({
          id: g.id,
          title: g.title,
          section: g.section,
          state: g.state,
          round: g.round,
          version: g.version,
          ownerId: g.owner_id,
          meetingId: g.meeting_id,
          gbSessionId: g.gb_session_id,
          createdAt: g.created_at,
          updatedAt: g.updated_at,
        })),
        nextCursor: page.next ? timeCursor.encode(page.next) : null,
      });
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/guidelines',
    tag: 'guidelines',
    summary: 'Create a guideline (drafters)',
    description: 'The caller becomes its owner; it starts in drafting, version 1.',
    signedIn: true,
    body: createBody,
    headers: ['Idempotency-Key'],
    responses: {
      201: { description: 'Created.', schema: guidelineSchema, headers: ['ETag', 'Location'] },
    },
    problems: ['forbidden', 'unsupported_media_type', 'payload_too_large'],
    async handle({ body, user }, _req, res) {
      authorize(user, 'create_guideline');
      const section = await sectionIdBySlug(deps.db, body.section);
      if (!section) {
        throw new HttpProblem({
          code: 'validation_failed',
          title: 'Invalid request',
          detail: `There is no framework section "${body.section}".`,
          errors: [{ path: 'body.section', message: 'unknown section' }],
        });
      }
      const row = await createGuideline(deps.db, deps.clock, {
        ownerId: user.id,
        sectionId: section,
        title: body.title,
        text: body.text,
        references: body.references ?? [],
      });
      res
        .status(201)
        .set({ ETag: etagOf(row), Location: `/api/v1/guidelines/${row.id}` })
        .json(await guidelineView(deps, row, user));
    },
  }),
  endpoint({
    method: 'put',
    path: '/api/v1/guidelines/:id/text',
    tag: 'guidelines',
    summary: 'Edit the working text (the owner, in drafting or revision)',
    signedIn: true,
    params: guidelineParams,
    body: textBody,
    headers: ['If-Match'],
    responses: {
      200: { description: 'The edited guideline.', schema: guidelineSchema, headers: ['ETag'] },
    },
    problems: guidelineChangeProblems,
    async handle({ params, body, user }, req, res) {
      const updated = await editText(
        deps,
        guidelineId(params.id),
        body,
        actorOf(user),
        expectedVersion(req.get('if-match')),
      );
      res.set('ETag', etagOf(updated)).json(await guidelineView(deps, updated, user));
    },
  }),
];
