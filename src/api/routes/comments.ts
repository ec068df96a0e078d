import { z } from 'zod';
import type { CommentRow } from '../../db/comment-list.js';
import { dispositions, groups } from '../../domain/vocabulary.js';
import { postComment, replyToComment } from '../../workflow/comments.js';
import { dispositionTable } from '../../workflow/disposition-table.js';
import { disposeComment } from '../../workflow/dispositions.js';
import { guidelineComments, readComment } from '../../workflow/read-comments.js';
import { visibleGuideline } from '../../workflow/visible-guideline.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { commentSchema, dispositionRowSchema, listOf, pageOf } from '../schemas.js';
import { booleanQuery, timeCursor } from '../validation.js';
import { guidelineParams } from './guideline-collection.js';
import { guidelineId } from './guideline-view.js';

const text = z.string().trim().min(1).max(20_000);
const commentBody = z.strictObject({
  body: text,
  anchor: z
    .strictObject({
      paragraph: z.number().int().min(1),
      exact: z.string().min(1).max(2_000),
      prefix: z.string().max(200).optional(),
      suffix: z.string().max(200).optional(),
    })
    .optional(),
  proposedText: text.optional(),
});
const replyBody = z.strictObject({ body: text });
const dispositionBody = z
  .strictObject({
    disposition: z.enum(dispositions),
    note: z.string().trim().min(1).max(5_000).optional(),
  })
  .refine((d) => d.disposition !== 'not_accepted' || d.note, {
    path: ['note'],
    message: 'a comment not accepted needs the reason',
  });
const listQuery = z.strictObject({
  group: z.enum(groups).optional(),
  paragraph: z.coerce.number().int().min(1).optional(),
  round: z.coerce.number().int().min(1).optional(),
  disposition: z.enum([...dispositions, 'none']).optional(),
  orphaned: booleanQuery.optional(),
  parent: z.uuid().optional(),
  cursor: timeCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const commentParams = z.strictObject({ id: z.uuid() });
const commentProblems = [
  'forbidden',
  'not_found',
  'not_allowed_now',
  'unsupported_media_type',
  'payload_too_large',
] as const;

export function commentView(c: CommentRow) {
  return {
    id: c.id,
    guidelineId: c.guideline_id,
    revision: c.revision,
    round: c.round,
    parentId: c.parent_id,
    authorId: c.author_id,
    authorRole: c.author_role,
    authorGroup: c.author_group,
    body: c.body,
    anchor: c.anchor,
    anchorStatus: c.anchor_status,
    currentParagraph: c.anchor_paragraph,
    proposedText: c.proposed_text,
    disposition: c.disposition,
    dispositionNote: c.disposition_note,
    disposedAt: c.disposed_at,
    createdAt: c.created_at,
  };
}

/** Comments, threaded replies and dispositions (SPEC section 4). */
export const commentEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'post',
    path: '/api/v1/guidelines/:id/comments',
    tag: 'comments',
    summary: 'Comment on the current revision (experts and observers, in consultation)',
    description:
      'Optionally anchored to a passage with a W3C TextQuoteSelector (exact, prefix, suffix) plus the paragraph; a quote not in that paragraph is refused with 422. The author’s role and group are recorded from the account.',
    signedIn: true,
    params: guidelineParams,
    body: commentBody,
    headers: ['Idempotency-Key'],
    responses: {
      201: { description: 'The comment.', schema: commentSchema, headers: ['Location'] },
    },
    problems: [...commentProblems, 'anchor_not_found'],
    async handle({ params, body, user }, _req, res) {
      const comment = await postComment(deps, guidelineId(params.id), user, body);
      res.status(201).location(`/api/v1/comments/${comment.id}`).json(commentView(comment));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/guidelines/:id/comments',
    tag: 'comments',
    summary: 'List comments, oldest first',
    description:
      'Filters: group, paragraph (where the passage is now), round, disposition (or none), orphaned, parent (the replies to one comment).',
    signedIn: true,
    params: guidelineParams,
    query: listQuery,
    responses: { 200: { description: 'A page.', schema: pageOf(commentSchema) } },
    problems: ['not_found'],
    async handle({ params, query, user }, _req, res) {
      const page = await guidelineComments(deps.db, user, params.id, query, {
        limit: query.limit,
        after: query.cursor,
      });
      res.json({
        items: page.items.map(commentView),
        nextCursor: page.next ? timeCursor.encode(page.next) : null,
      });
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/comments/:id',
    tag: 'comments',
    summary: 'One comment or reply',
    description:
      'Where the Location of a posted comment or reply points. 404 for a comment on a guideline the caller may not see.',
    signedIn: true,
    params: commentParams,
    responses: { 200: { description: 'The comment.', schema: commentSchema } },
    problems: ['not_found'],
    async handle({ params, user }, _req, res) {
      res.json(commentView(await readComment(deps.db, user, params.id)));
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/comments/:id/replies',
    tag: 'comments',
    summary: 'Reply to a comment (participants, in consultation, deliberation or revision)',
    signedIn: true,
    params: commentParams,
    body: replyBody,
    headers: ['Idempotency-Key'],
    responses: {
      201: { description: 'The reply.', schema: commentSchema, headers: ['Location'] },
    },
    problems: commentProblems,
    async handle({ params, body, user }, _req, res) {
      const reply = await replyToComment(deps, params.id, user, body.body);
      res
        .status(201)
        .location(`/api/v1/comments/${reply.id}`)
        .json(commentView(await readComment(deps.db, user, reply.id)));
    },
  }),
  endpoint({
    method: 'put',
    path: '/api/v1/comments/:id/disposition',
    tag: 'comments',
    summary: 'Give a comment its disposition (the owning drafter, in revision)',
    description:
      '`not_accepted` needs a note with the reason. It can be changed until the guideline is resubmitted.',
    signedIn: true,
    params: commentParams,
    body: dispositionBody,
    responses: { 200: { description: 'The comment.', schema: commentSchema } },
    problems: commentProblems,
    async handle({ params, body, user }, _req, res) {
      const comment = await disposeComment(deps, params.id, user, body);
      res.json(commentView(await readComment(deps.db, user, comment.id)));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/guidelines/:id/dispositions',
    tag: 'comments',
    summary: 'The disposition table of a round',
    description:
      "Every comment of the round (not the replies): its author's group, paragraph, disposition and note. Defaults to the round last consulted.",
    signedIn: true,
    params: guidelineParams,
    query: z.strictObject({ round: z.coerce.number().int().min(1).optional() }),
    responses: { 200: { description: 'The table.', schema: listOf(dispositionRowSchema) } },
    problems: ['not_found'],
    async handle({ params, query, user }, _req, res) {
      const guideline = await visibleGuideline(deps.db, user, params.id);
      const round = query.round ?? guideline.round;
      res.json({ items: await dispositionTable(deps.db, guideline, round), nextCursor: null });
    },
  }),
];
