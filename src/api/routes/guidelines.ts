import { actorOf } from '../../domain/permissions.js';
import { applyEvent } from '../../workflow/apply-event.js';
import { commandBody } from '../../workflow/events/index.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { guidelineSchema } from '../schemas.js';
import { guidelineParams } from './guideline-collection.js';
import {
  etagOf,
  guidelineChangeProblems,
  guidelineId,
  guidelineView,
  visibleGuideline,
} from './guideline-view.js';
import { expectedVersion } from './if-match.js';

/** One guideline, and the workflow events that move it. */
export const guidelineEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'get',
    path: '/api/v1/guidelines/:id',
    tag: 'guidelines',
    summary: 'A guideline, with the events the caller may send now',
    description:
      'Every event is listed with `allowed` and, when not, the reason. The version is also the ETag. 404 for a guideline the caller may not see.',
    signedIn: true,
    params: guidelineParams,
    responses: {
      200: { description: 'The guideline.', schema: guidelineSchema, headers: ['ETag'] },
    },
    problems: ['not_found'],
    async handle({ params, user }, _req, res) {
      const row = await visibleGuideline(deps.db, user, params.id);
      res.set('ETag', etagOf(row)).json(await guidelineView(deps, row, user));
    },
  }),
  endpoint({
    method: 'post',
    path: '/api/v1/guidelines/:id/events',
    tag: 'guidelines',
    summary: 'Apply a workflow event',
    description:
      'Send the ETag you saw in If-Match. 412 when the guideline changed meanwhile (with the current version), 403 when the event is not for your role, 422 when the workflow does not allow it now (with the reason).',
    signedIn: true,
    params: guidelineParams,
    // Each event's payload as its definition has it (SPEC section 2); nothing else is accepted.
    body: commandBody,
    headers: ['If-Match', 'Idempotency-Key'],
    responses: {
      200: {
        description: 'The guideline after the event.',
        schema: guidelineSchema,
        headers: ['ETag'],
      },
    },
    problems: guidelineChangeProblems,
    async handle({ params, body, user }, req, res) {
      const version = expectedVersion(req.get('if-match'));
      // The engine reads and locks the row itself, and answers 404 for what the caller may not see.
      const { guideline, snapshot } = await applyEvent(
        deps,
        guidelineId(params.id),
        body,
        actorOf(user),
        { expectedVersion: version },
      );
      res.set('ETag', etagOf(guideline)).json(await guidelineView(deps, guideline, user, snapshot));
    },
  }),
];
