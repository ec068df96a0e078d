import { z } from 'zod';
import type { Account } from '../../db/schema.js';
import { diffHtml, diffStats } from '../../domain/text-diff.js';
import { guidelineHistory } from '../../workflow/guideline-history.js';
import { listRevisions, revisionOf } from '../../workflow/revisions.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import {
  diffSchema,
  historyEntrySchema,
  listOf,
  pageOf,
  revisionSchema,
  revisionSummarySchema,
} from '../schemas.js';
import { guidelineParams } from './guideline-collection.js';
import { visibleGuideline } from './guideline-view.js';

const revisionNumber = z.coerce.number().int().min(1).max(1_000_000);
const revisionParams = z.strictObject({ id: z.string(), n: revisionNumber });
const diffQuery = z.strictObject({ from: revisionNumber, to: revisionNumber });
const historyQuery = z.strictObject({
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'not a cursor this API gave out')
    .transform(Number)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The guideline's record: frozen revisions, the diff between two, and its audit trail. */
export const guidelineRecordEndpoints = (deps: ApiDependencies) => {
  const revision = async (user: Account, guidelineId: string, number: number) =>
    revisionOf(deps.db, await visibleGuideline(deps.db, user, guidelineId), number);

  return [
    endpoint({
      method: 'get',
      path: '/api/v1/guidelines/:id/revisions',
      tag: 'guidelines',
      summary: 'The frozen revisions of a guideline, oldest first',
      description: 'Each submit or resubmit freezes one.',
      signedIn: true,
      params: guidelineParams,
      responses: { 200: { description: 'The revisions.', schema: listOf(revisionSummarySchema) } },
      problems: ['not_found'],
      async handle({ params, user }, _req, res) {
        const guideline = await visibleGuideline(deps.db, user, params.id);
        res.json({
          items: await listRevisions(deps.db, guideline),
          nextCursor: null,
        });
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/guidelines/:id/revisions/:n',
      tag: 'guidelines',
      summary: 'One frozen revision, with its text',
      signedIn: true,
      params: revisionParams,
      responses: { 200: { description: 'The revision.', schema: revisionSchema } },
      problems: ['not_found'],
      async handle({ params, user }, _req, res) {
        const r = await revision(user, params.id, params.n);
        res.json({
          number: r.number,
          round: r.round,
          title: r.title,
          createdBy: r.created_by,
          createdAt: r.created_at,
          text: r.text,
          references: r.references,
        });
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/guidelines/:id/diff',
      tag: 'guidelines',
      summary: 'A word-level diff between two revisions',
      description:
        'As operations that rebuild either text, and as HTML with <ins> and <del>. Texts too large or too different for a word diff within its time budget get a line-level one, or at worst one replacement of the whole text; `granularity` says which.',
      signedIn: true,
      params: guidelineParams,
      query: diffQuery,
      responses: { 200: { description: 'The diff.', schema: diffSchema } },
      problems: ['not_found', 'unavailable'],
      async handle({ params, query, user }, _req, res) {
        const [from, to] = await Promise.all([
          revision(user, params.id, query.from),
          revision(user, params.id, query.to),
        ]);
        // Off the event loop: a worst-case word diff must not stop every other request.
        const { granularity, operations } = await deps.textWork.run('diff', {
          before: from.text,
          after: to.text,
        });
        res.json({
          from: from.number,
          to: to.number,
          granularity,
          operations,
          html: diffHtml(operations),
          stats: diffStats(operations),
        });
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/guidelines/:id/history',
      tag: 'guidelines',
      summary: 'The audit trail of a guideline, oldest first',
      description:
        'Every accepted event and text edit, with who, when, and the hash that chains it. A group position still sealed shows no stance or statement to other groups or the drafter.',
      signedIn: true,
      params: guidelineParams,
      query: historyQuery,
      responses: { 200: { description: 'A page of entries.', schema: pageOf(historyEntrySchema) } },
      problems: ['not_found'],
      async handle({ params, query, user }, _req, res) {
        const guideline = await visibleGuideline(deps.db, user, params.id);
        const page = await guidelineHistory(deps.db, guideline, user, {
          after: query.cursor ?? 0,
          limit: query.limit,
        });
        res.json({
          items: page.items,
          nextCursor: page.next === null ? null : String(page.next),
        });
      },
    }),
  ];
};
