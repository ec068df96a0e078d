import { z } from 'zod';
import { actorOf } from '../../domain/permissions.js';
import { ballotChoices } from '../../domain/vocabulary.js';
import { applyEvent } from '../../workflow/apply-event.js';
import { castBallot } from '../../workflow/ballots.js';
import { submitPosition } from '../../workflow/events/submit-position.js';
import { positionStatedBy, roundPositions } from '../../workflow/positions.js';
import { readTally } from '../../workflow/tally.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { ballotSchema, listOf, positionSchema, tallySchema } from '../schemas.js';
import { guidelineParams } from './guideline-collection.js';
import { guidelineChangeProblems, guidelineId, visibleGuideline } from './guideline-view.js';

// The route sends SUBMIT_POSITION: its body is the event's payload as the definition has it.
const positionBody = submitPosition.command.omit({ type: true });
const voteBody = z.strictObject({ choice: z.enum(ballotChoices) });
const roundQuery = z.strictObject({ round: z.coerce.number().int().min(1).optional() });
const tallyQuery = z.strictObject({
  round: z.coerce.number().int().min(1).optional(),
  vote: z.coerce.number().int().min(1).optional(),
});

/** Group positions (sealed until all three are in or the consultation closes), ballots, tallies. */
export const consultationEndpoints = (deps: ApiDependencies) => [
  endpoint({
    method: 'post',
    path: '/api/v1/guidelines/:id/positions',
    tag: 'consultation',
    summary: "State the group's position in this round (the group's spokesperson)",
    description:
      'Sends SUBMIT_POSITION to the workflow. One per group per round. Sealed from the other groups and the drafter until all three are in or the consultation closes.',
    signedIn: true,
    params: guidelineParams,
    body: positionBody,
    headers: ['Idempotency-Key'],
    responses: { 201: { description: 'The position as recorded.', schema: positionSchema } },
    problems: guidelineChangeProblems,
    async handle({ params, body, user }, _req, res) {
      const { guideline } = await applyEvent(
        deps,
        guidelineId(params.id),
        { type: 'SUBMIT_POSITION', ...body },
        actorOf(user),
      );
      res.status(201).json(await positionStatedBy(deps.db, guideline, user));
    },
    async recover(committed, { user }, _req, res) {
      const guideline = await visibleGuideline(deps.db, user, committed.guidelineId);
      res.status(201).json(await positionStatedBy(deps.db, guideline, user));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/guidelines/:id/positions',
    tag: 'consultation',
    summary: "The groups' positions in a round (the current one by default)",
    description:
      'A sealed position shows its group and time but not its stance, statement or author to the other groups and the drafter.',
    signedIn: true,
    params: guidelineParams,
    query: roundQuery,
    responses: { 200: { description: 'The positions.', schema: listOf(positionSchema) } },
    problems: ['not_found'],
    async handle({ params, query, user }, _req, res) {
      const guideline = await visibleGuideline(deps.db, user, params.id);
      const items = await roundPositions(deps.db, guideline, user, query.round);
      res.json({ items, nextCursor: null });
    },
  }),
  endpoint({
    method: 'put',
    path: '/api/v1/guidelines/:id/vote',
    tag: 'consultation',
    summary: "Cast or change the caller's ballot (experts entitled to vote)",
    description:
      'A ballot can be changed until the vote closes. Only the electorate frozen when the vote opened may vote.',
    signedIn: true,
    params: guidelineParams,
    body: voteBody,
    responses: { 200: { description: 'The ballot as it stands.', schema: ballotSchema } },
    problems: [
      'forbidden',
      'not_found',
      'not_allowed_now',
      'unsupported_media_type',
      'payload_too_large',
    ],
    async handle({ params, body, user }, _req, res) {
      res.json(await castBallot(deps, guidelineId(params.id), user, body.choice));
    },
  }),
  endpoint({
    method: 'get',
    path: '/api/v1/guidelines/:id/tally',
    tag: 'consultation',
    summary: 'The tally of a vote: weights, per-group counts, weighted totals, quorum, result',
    description:
      'The latest vote by default. While an open-ballot vote is open only the secretariat sees its tally; once closed it is part of the record. A secret ballot shows turnout only while open (to everyone), and once closed its per-group counts only when every group that voted cast at least 3 ballots and none voted all alike (`disclosure` says which); weighted totals and the result are always shown once it closes.',
    signedIn: true,
    params: guidelineParams,
    query: tallyQuery,
    responses: { 200: { description: 'The tally.', schema: tallySchema } },
    problems: ['forbidden', 'not_found'],
    async handle({ params, query, user }, _req, res) {
      const guideline = await visibleGuideline(deps.db, user, params.id);
      res.json(await readTally(deps.db, guideline, user, query));
    },
  }),
];
