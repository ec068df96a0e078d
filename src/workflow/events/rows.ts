import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { relocateAnchor } from '../../domain/anchors.js';
import { electorate, type Tally } from '../../domain/tally.js';
import type { GbDecision, Group, Stance, VoteResult } from '../../domain/vocabulary.js';
import type { WriteContext } from './definition.js';

// The rows events write beside the guideline row, each a plain statement in the event's
// transaction, which holds the guideline's row lock: nobody numbers a revision or a vote meanwhile.

type Ctx = WriteContext<{ type: string }>;

function personOf(ctx: Ctx): string {
  if (!ctx.actorId) throw new Error(`${ctx.event.type} must be sent by a person`);
  return ctx.actorId;
}

/** Each submission freezes the working text as the next numbered revision. */
export async function freezeRevision(ctx: Ctx): Promise<void> {
  await ctx.trx
    .insertInto('revisions')
    .values((eb) => ({
      guideline_id: ctx.row.id,
      number: eb
        .selectFrom('revisions')
        .select(sql<number>`coalesce(max(number), 0) + 1`.as('n'))
        .where('guideline_id', '=', ctx.row.id),
      round: ctx.next.context.round,
      title: ctx.row.title,
      text: ctx.row.text,
      references: JSON.stringify(ctx.row.references),
      created_by: personOf(ctx),
      created_at: ctx.now,
    }))
    .execute();
}

export async function storePosition(
  ctx: Ctx,
  position: { group: Group; stance: Stance; statement: string },
): Promise<void> {
  await ctx.trx
    .insertInto('positions')
    .values({
      guideline_id: ctx.row.id,
      round: ctx.next.context.round,
      group: position.group,
      stance: position.stance,
      statement: position.statement,
      submitted_by: personOf(ctx),
      submitted_at: ctx.now,
    })
    .execute();
}

/** A vote opens with the meeting's rule, and weights frozen from its active experts now. */
export async function openVote(ctx: Ctx): Promise<void> {
  const meetingId = ctx.row.meeting_id;
  if (!meetingId) throw new Error('a vote needs the meeting the guideline is before');
  const meeting = await ctx.trx
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow();
  const members = await ctx.trx
    .selectFrom('meeting_members')
    .innerJoin('users', 'users.id', 'meeting_members.user_id')
    .select(['users.id', 'users.group'])
    .where('meeting_members.meeting_id', '=', meetingId)
    .where('users.role', '=', 'expert')
    .where('users.active', '=', true)
    .execute();
  const { strength, electors } = electorate(
    members.flatMap((m) => (m.group ? [{ voterId: m.id, group: m.group }] : [])),
  );
  const round = ctx.next.context.round;
  const last = await ctx.trx
    .selectFrom('votes')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('guideline_id', '=', ctx.row.id)
    .where('round', '=', round)
    .executeTakeFirst();
  const number = Number(last?.n ?? 0) + 1;
  await ctx.trx
    .insertInto('votes')
    .values({
      guideline_id: ctx.row.id,
      round,
      number,
      voting_rule: meeting.voting_rule,
      required_majority: meeting.required_majority,
      quorum: meeting.quorum,
      require_each_group: meeting.require_each_group,
      ballot: meeting.ballot,
      strength,
      opened_by: personOf(ctx),
      opened_at: ctx.now,
      deadline: meeting.vote_deadline,
    })
    .execute();
  if (electors.length === 0) return;
  await ctx.trx
    .insertInto('vote_weights')
    .values(
      electors.map((e) => ({
        guideline_id: ctx.row.id,
        round,
        vote_number: number,
        voter_id: e.voterId,
        group: e.group,
        weight: e.weight,
      })),
    )
    .execute();
}

/** The open vote closes with its result and the tally that decided it. */
export async function closeVote(
  ctx: Ctx,
  closing: { outcome: VoteResult; tally?: Tally | undefined },
): Promise<void> {
  await ctx.trx
    .updateTable('votes')
    .set({
      closed_at: ctx.now,
      result: closing.outcome,
      tally: closing.tally ? JSON.stringify(closing.tally) : null,
    })
    .where('guideline_id', '=', ctx.row.id)
    .where('round', '=', ctx.row.round)
    .where('closed_at', 'is', null)
    .execute();
}

export async function recordConsensus(ctx: Ctx, summary: string): Promise<void> {
  await ctx.trx
    .insertInto('consensus_records')
    .values({
      guideline_id: ctx.row.id,
      round: ctx.row.round,
      summary,
      recorded_by: personOf(ctx),
      recorded_at: ctx.now,
    })
    .execute();
}

export async function recordGbDecision(
  ctx: Ctx,
  decision: { decision: GbDecision; instructions?: string | undefined },
): Promise<void> {
  if (!ctx.row.gb_session_id) throw new Error('a decision needs the session the guideline went to');
  await ctx.trx
    .insertInto('gb_decisions')
    .values({
      guideline_id: ctx.row.id,
      gb_session_id: ctx.row.gb_session_id,
      decision: decision.decision,
      instructions: decision.instructions ?? null,
      recorded_by: personOf(ctx),
      recorded_at: ctx.now,
    })
    .execute();
}

/** Re-locates every anchor still in the text; one that cannot be found is orphaned, never dropped. */
export async function relocateAnchors(
  trx: Transaction<Database>,
  guidelineId: string,
  text: string,
) {
  const anchored = await trx
    .selectFrom('comments')
    .select(['id', 'anchor', 'anchor_paragraph', 'anchor_status'])
    .where('guideline_id', '=', guidelineId)
    .where('anchor_status', 'in', ['anchored', 'relocated'])
    .execute();
  for (const comment of anchored) {
    if (!comment.anchor) continue;
    // Judged against the selector as made: "relocated" means away from where the comment was made.
    const { status, paragraph } = relocateAnchor(comment.anchor, text);
    if (status === comment.anchor_status && paragraph === comment.anchor_paragraph) continue;
    await trx
      .updateTable('comments')
      .set(
        status === 'orphaned'
          ? { anchor_status: 'orphaned' }
          : { anchor_status: status, anchor_paragraph: paragraph },
      )
      .where('id', '=', comment.id)
      .execute();
  }
}
