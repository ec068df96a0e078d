import { Router } from 'express';
import { z } from 'zod';
import { listGuidelines, type PageCursor } from '../../db/guideline-list.js';
import { actorOf } from '../../domain/permissions.js';
import { guidelineStates } from '../../domain/vocabulary.js';
import { createGuideline } from '../../workflow/create-guideline.js';
import { editText } from '../../workflow/edit-text.js';
import type { ApiDependencies } from '../app.js';
import { authenticate } from '../auth/authenticate.js';
import { HttpProblem } from '../problem.js';
import { parse, requireJson } from '../validation.js';
import { etagOf, guidelineView, visibleGuideline } from './guideline-view.js';
import { expectedVersion } from './if-match.js';

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a section slug such as protection');
const body = z.string().max(200_000);
const title = z.string().trim().min(1).max(300);

const createBody = z.strictObject({
  title,
  section: slug,
  text: body,
  references: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
});
const textBody = z.strictObject({ text: body, title: title.optional() });

const cursor = z.string().transform((value, ctx) => {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    return z.object({ createdAt: z.iso.datetime(), id: z.uuid() }).parse({ createdAt, id });
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
    return z.NEVER;
  }
});
const listQuery = z.strictObject({
  state: z.enum(guidelineStates).optional(),
  section: slug.optional(),
  meeting: z.uuid().optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const encodeCursor = (c: PageCursor) =>
  Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');

/** Listing and creating guidelines, and editing a draft's working text. */
export function guidelineCollectionRoutes(deps: ApiDependencies): Router {
  const router = Router();
  const signedIn = authenticate(deps);

  router.get('/api/v1/guidelines', signedIn, async (req, res) => {
    const q = parse(listQuery, req.query, 'query');
    const page = await listGuidelines(deps.db, res.locals.user, q, {
      limit: q.limit,
      after: q.cursor,
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
      nextCursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  router.post('/api/v1/guidelines', signedIn, requireJson, async (req, res) => {
    const user = res.locals.user;
    if (user.role !== 'drafter') {
      throw new HttpProblem({
        code: 'forbidden',
        title: 'Forbidden',
        detail: 'Only drafters create guidelines.',
      });
    }
    const input = parse(createBody, req.body);
    const section = await deps.db
      .selectFrom('framework_sections')
      .select('id')
      .where('slug', '=', input.section)
      .executeTakeFirst();
    if (!section) {
      throw new HttpProblem({
        code: 'validation_failed',
        title: 'Invalid request',
        detail: `There is no framework section "${input.section}".`,
        errors: [{ path: 'body.section', message: 'unknown section' }],
      });
    }
    const row = await createGuideline(deps.db, deps.clock, {
      ownerId: user.id,
      sectionId: section.id,
      title: input.title,
      text: input.text,
      references: input.references ?? [],
    });
    res
      .status(201)
      .set({ ETag: etagOf(row), Location: `/api/v1/guidelines/${row.id}` })
      .json(await guidelineView(deps, row, user));
  });

  router.put('/api/v1/guidelines/:id/text', signedIn, requireJson, async (req, res) => {
    const user = res.locals.user;
    const row = await visibleGuideline(deps.db, user, req.params.id as string);
    const input = parse(textBody, req.body);
    const updated = await editText(
      deps,
      row.id,
      input,
      actorOf(user),
      expectedVersion(req.get('if-match')),
    );
    res.set('ETag', etagOf(updated)).json(await guidelineView(deps, updated, user));
  });

  return router;
}
