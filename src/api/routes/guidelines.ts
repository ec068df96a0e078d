import { Router } from 'express';
import { z } from 'zod';
import { actorOf } from '../../domain/permissions.js';
import { gbDecisions, stances } from '../../domain/vocabulary.js';
import { applyEvent } from '../../workflow/apply-event.js';
import type { GuidelineCommand } from '../../workflow/commands.js';
import type { ApiDependencies } from '../app.js';
import { authenticate } from '../auth/authenticate.js';
import { parse, requireJson } from '../validation.js';
import { etagOf, guidelineView, visibleGuideline } from './guideline-view.js';
import { expectedVersion } from './if-match.js';

const text = z.string().trim().min(1).max(10_000);
const id = z.uuid();

/** Each event's payload as in SPEC section 2; nothing else is accepted. */
const eventBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('SUBMIT') }),
  z.strictObject({ type: z.literal('RETURN_TO_DRAFTER'), reason: text }),
  z.strictObject({ type: z.literal('ACCEPT_FOR_REVIEW'), meetingId: id }),
  z.strictObject({ type: z.literal('SUBMIT_POSITION'), stance: z.enum(stances), statement: text }),
  z.strictObject({ type: z.literal('CLOSE_CONSULTATION') }),
  z.strictObject({ type: z.literal('CONSULTATION_DEADLINE') }),
  z.strictObject({ type: z.literal('RECORD_CONSENSUS'), summary: text }),
  z.strictObject({ type: z.literal('OPEN_VOTE') }),
  z.strictObject({ type: z.literal('REQUEST_REVISION'), instructions: text }),
  z.strictObject({ type: z.literal('CLOSE_VOTE') }),
  z.strictObject({ type: z.literal('VOTE_DEADLINE') }),
  z.strictObject({ type: z.literal('RESUBMIT') }),
  z.strictObject({ type: z.literal('INCLUDE_IN_SUBMISSION'), gbSessionId: id }),
  z.strictObject({
    type: z.literal('RECORD_GB_DECISION'),
    decision: z.enum(gbDecisions),
    instructions: text.optional(),
  }),
  z.strictObject({ type: z.literal('WITHDRAW'), reason: text }),
]);

export function guidelineRoutes(deps: ApiDependencies): Router {
  const router = Router();
  const signedIn = authenticate(deps);

  router.get('/api/v1/guidelines/:id', signedIn, async (req, res) => {
    const row = await visibleGuideline(deps.db, res.locals.user, req.params.id as string);
    res.set('ETag', etagOf(row)).json(await guidelineView(deps, row, res.locals.user));
  });

  router.post('/api/v1/guidelines/:id/events', signedIn, requireJson, async (req, res) => {
    const user = res.locals.user;
    const row = await visibleGuideline(deps.db, user, req.params.id as string);
    const command = parse(eventBody, req.body) as GuidelineCommand;
    const version = expectedVersion(req.get('if-match'));
    const { guideline } = await applyEvent(deps, row.id, command, actorOf(user), {
      expectedVersion: version,
    });
    res.set('ETag', etagOf(guideline)).json(await guidelineView(deps, guideline, user));
  });

  return router;
}
