import { type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database, GuidelineRow } from '../db/schema.js';
import { relocateAnchor } from '../domain/anchors.js';
import { electorate, type Tally } from '../domain/tally.js';
import type { EventOf, GuidelineEvent } from '../machines/events.js';
import type { Effect } from '../machines/guideline.js';
import type { GuidelineSnapshot } from '../machines/snapshot.js';

// The rows that belong to an event, written in the event's transaction when the transition names
// the effect: a frozen revision, a group position, a vote opened or closed, a consensus record, a
// Governing Body decision.

export interface EffectFacts {
  row: GuidelineRow;
  next: GuidelineSnapshot;
  event: GuidelineEvent;
  actorId: string | null;
  now: Date;
  tally: Tally | undefined;
}

export interface EffectContext extends EffectFacts {
  trx: Transaction<Database>;
}

function requireActor(ctx: EffectFacts): string {
  if (!ctx.actorId) throw new Error(`${ctx.event.type} must be sent by a person`);
  return ctx.actorId;
}

/**
 * Effects that are rows of the event's own write statement: each inserts from `upd`, the guideline
 * row that statement updates, so it happens exactly when the update does.
 */
const statementParts: Partial<Record<Effect, (ctx: EffectFacts) => RawBuilder<unknown>>> = {
  // Numbered in the statement that updates the guideline row: no one else numbers meanwhile.
  freezeRevision: (ctx) => sql`
    insert into revisions (guideline_id, number, round, title, text, "references", created_by, created_at)
    select upd.id, (select coalesce(max(number), 0) + 1 from revisions where guideline_id = upd.id),
           ${ctx.next.context.round}::int, upd.title, upd.text, upd."references",
           ${requireActor(ctx)}::uuid, ${ctx.now}::timestamptz
    from upd
  `,
  storePosition: (ctx) => {
    const e = ctx.event as EventOf<'SUBMIT_POSITION'>;
    return sql`
      insert into positions (guideline_id, round, "group", stance, statement, submitted_by, submitted_at)
      select upd.id, ${ctx.next.context.round}::int, ${e.group}::text, ${e.stance}::text,
             ${e.statement}::text, ${requireActor(ctx)}::uuid, ${ctx.now}::timestamptz
      from upd
    `;
  },
};

/** The parts of the write statement the transition's effects add, named for their CTEs. */
export function statementEffects(
  ctx: EffectFacts,
  actions: readonly { type: string }[],
): RawBuilder<unknown>[] {
  return actions.flatMap((a) => {
    const part = statementParts[a.type as Effect];
    return part ? [part(ctx)] : [];
  });
}

const performers: Partial<Record<Effect, (ctx: EffectContext) => Promise<void>>> = {
  // Weights are frozen here, from the meeting's active experts at this moment.
  async openVote(ctx) {
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
        opened_by: requireActor(ctx),
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
  },

  async closeVote(ctx) {
    const e = ctx.event as EventOf<'CLOSE_VOTE'>;
    await ctx.trx
      .updateTable('votes')
      .set({
        closed_at: ctx.now,
        result: e.outcome,
        tally: ctx.tally ? JSON.stringify(ctx.tally) : null,
      })
      .where('guideline_id', '=', ctx.row.id)
      .where('round', '=', ctx.row.round)
      .where('closed_at', 'is', null)
      .execute();
  },

  async recordConsensus(ctx) {
    const e = ctx.event as EventOf<'RECORD_CONSENSUS'>;
    await ctx.trx
      .insertInto('consensus_records')
      .values({
        guideline_id: ctx.row.id,
        round: ctx.row.round,
        summary: e.summary,
        recorded_by: requireActor(ctx),
        recorded_at: ctx.now,
      })
      .execute();
  },

  async recordGbDecision(ctx) {
    const e = ctx.event as EventOf<'RECORD_GB_DECISION'>;
    if (!ctx.row.gb_session_id)
      throw new Error('a decision needs the session the guideline went to');
    await ctx.trx
      .insertInto('gb_decisions')
      .values({
        guideline_id: ctx.row.id,
        gb_session_id: ctx.row.gb_session_id,
        decision: e.decision,
        instructions: e.instructions ?? null,
        recorded_by: requireActor(ctx),
        recorded_at: ctx.now,
      })
      .execute();
  },
};

/** Runs the effects that need statements of their own, inside the event's locked transaction. */
export async function performEffects(
  ctx: EffectContext,
  actions: readonly { type: string }[],
): Promise<void> {
  for (const action of actions) {
    const perform = performers[action.type as Effect];
    if (perform) await perform(ctx);
  }
  // A resubmission's new text moves, keeps or loses the passages comments were anchored to.
  if (ctx.event.type === 'RESUBMIT') await relocateAnchors(ctx.trx, ctx.row.id, ctx.row.text);
}

/** Re-locates every anchor still in the text; one that cannot be found is orphaned, never dropped. */
async function relocateAnchors(trx: Transaction<Database>, guidelineId: string, text: string) {
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
