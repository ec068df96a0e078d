import type { Kysely } from 'kysely';
import { guidelineChain } from '../db/audit.js';
import type { Database, GuidelineRow, User } from '../db/schema.js';
import { maySeeSealedPosition, positionSealed } from '../domain/sealing.js';
import type { Group } from '../domain/vocabulary.js';

/** Where the open consultation began, and which group stated which position in it. */
async function openConsultation(db: Kysely<Database>, guideline: GuidelineRow) {
  if (guideline.state !== 'consultation') return null;
  const [entered, positions] = await Promise.all([
    db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('chain', '=', guidelineChain(guideline.id))
      .where('to_state', '=', 'consultation')
      .where((eb) => eb.or([eb('from_state', 'is', null), eb('from_state', '!=', 'consultation')]))
      .executeTakeFirst(),
    db
      .selectFrom('positions')
      .select(['group', 'submitted_by'])
      .where('guideline_id', '=', guideline.id)
      .where('round', '=', guideline.round)
      .execute(),
  ]);
  return {
    since: Number(entered?.seq ?? 0),
    groupOf: new Map<string, Group>(positions.map((p) => [p.submitted_by, p.group])),
    groups: new Set<Group>(positions.map((p) => p.group)),
  };
}

/**
 * A page of the guideline's audit trail as this reader may see it: a position still sealed keeps its
 * place in the trail (who and when) without its stance or statement.
 */
export async function guidelineHistory(
  db: Kysely<Database>,
  guideline: GuidelineRow,
  reader: Pick<User, 'role' | 'group'>,
  page: { after: number; limit: number },
) {
  const [rows, open] = await Promise.all([
    db
      .selectFrom('audit_entries')
      .selectAll()
      .where('chain', '=', guidelineChain(guideline.id))
      .where('seq', '>', page.after)
      .orderBy('seq')
      .limit(page.limit + 1)
      .execute(),
    openConsultation(db, guideline),
  ]);
  const items = rows.slice(0, page.limit).map((r) => {
    const group =
      r.event_type === 'SUBMIT_POSITION' && r.actor_id ? open?.groupOf.get(r.actor_id) : undefined;
    const position = group ? { group, inOpenConsultation: r.seq > (open?.since ?? 0) } : null;
    const hidden =
      position !== null &&
      open !== null &&
      positionSealed(position, open.groups) &&
      !maySeeSealedPosition(reader, position);
    return {
      seq: r.seq,
      event: r.event_type,
      actorId: r.actor_id,
      actorRole: r.actor_role,
      fromState: r.from_state,
      toState: r.to_state,
      version: r.version,
      payload: hidden ? { sealed: true } : r.payload,
      occurredAt: r.occurred_at,
      hash: r.hash,
    };
  });
  return { items, next: rows.length > page.limit ? (items.at(-1)?.seq ?? null) : null };
}
