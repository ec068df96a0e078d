import { z } from 'zod';
import type { Account } from '../../db/schema.js';
import { actorOf } from '../../domain/permissions.js';
import { mayReadTally, maySeeSealedPosition, positionSealed } from '../../domain/sealing.js';
import type { Tally } from '../../domain/tally.js';
import { ballotChoices, type Group, stances } from '../../domain/vocabulary.js';
import { applyEvent } from '../../workflow/apply-event.js';
import { castBallot } from '../../workflow/ballots.js';
import { RecordNotFound } from '../../workflow/errors.js';
import { liveTally } from '../../workflow/votes.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { HttpProblem } from '../problem.js';
import { ballotSchema, listOf, positionSchema, tallySchema } from '../schemas.js';
import { guidelineParams } from './guideline-collection.js';
import { guidelineChangeProblems, guidelineId, visibleGuideline } from './guideline-view.js';

const positionBody = z.strictObject({
  stance: z.enum(stances),
  statement: z.string().trim().min(1).max(10_000),
});
const voteBody = z.strictObject({ choice: z.enum(ballotChoices) });
const roundQuery = z.strictObject({ round: z.coerce.number().int().min(1).optional() });
const tallyQuery = z.strictObject({
  round: z.coerce.number().int().min(1).optional(),
  vote: z.coerce.number().int().min(1).optional(),
});

/** Group positions (sealed until all three are in or the consultation closes), ballots, tallies. */
export const consultationEndpoints = (deps: ApiDependencies) => {
  async function positionsOf(
    guideline: { id: string; state: string; round: number },
    round: number,
    reader: Account,
  ) {
    const rows = await deps.db
      .selectFrom('positions')
      .selectAll()
      .where('guideline_id', '=', guideline.id)
      .where('round', '=', round)
      .orderBy('submitted_at')
      .execute();
    const inOpenConsultation = guideline.state === 'consultation' && round === guideline.round;
    const stated = new Set<Group>(rows.map((p) => p.group));
    return rows.map((p) => {
      const record = { group: p.group, inOpenConsultation };
      const hidden = positionSealed(record, stated) && !maySeeSealedPosition(reader, record);
      return {
        group: p.group,
        round: p.round,
        sealed: positionSealed(record, stated),
        stance: hidden ? null : p.stance,
        statement: hidden ? null : p.statement,
        submittedBy: hidden ? null : p.submitted_by,
        submittedAt: p.submitted_at,
      };
    });
  }

  return [
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
        const mine = (await positionsOf(guideline, guideline.round, user)).find(
          (p) => p.group === user.group,
        );
        res.status(201).json(mine);
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
        const items = await positionsOf(guideline, query.round ?? guideline.round, user);
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
        'The latest vote by default. While a vote is open only the secretariat sees its tally; once closed it is part of the record.',
      signedIn: true,
      params: guidelineParams,
      query: tallyQuery,
      responses: { 200: { description: 'The tally.', schema: tallySchema } },
      problems: ['forbidden', 'not_found'],
      async handle({ params, query, user }, _req, res) {
        const guideline = await visibleGuideline(deps.db, user, params.id);
        let votes = deps.db
          .selectFrom('votes')
          .selectAll()
          .where('guideline_id', '=', guideline.id)
          .orderBy('round', 'desc')
          .orderBy('number', 'desc')
          .limit(1);
        if (query.round !== undefined) votes = votes.where('round', '=', query.round);
        if (query.vote !== undefined) votes = votes.where('number', '=', query.vote);
        const vote = await votes.executeTakeFirst();
        if (!vote) throw new RecordNotFound('vote on this guideline');
        const open = vote.closed_at === null;
        if (!mayReadTally(user, { open })) {
          throw new HttpProblem({
            code: 'forbidden',
            title: 'Tally not yet public',
            detail: 'The tally of an open vote is shown when the vote closes.',
          });
        }
        const tally =
          open || !vote.tally ? await liveTally(deps.db, vote) : (vote.tally as unknown as Tally);
        res.json({
          round: vote.round,
          vote: vote.number,
          open,
          votingRule: vote.voting_rule,
          requiredMajority: vote.required_majority,
          quorum: vote.quorum,
          requireEachGroup: vote.require_each_group,
          ballot: vote.ballot,
          strength: tally.strength,
          totalStrength: tally.totalStrength,
          groups: tally.groups,
          weighted: tally.weighted,
          quorumReached: tally.quorum,
          result: tally.result,
        });
      },
    }),
  ];
};
