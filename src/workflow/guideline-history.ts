import type { Kysely } from 'kysely';
import { guidelineChain } from '../db/audit.js';
import type { Account, Database, GuidelineRow } from '../db/schema.js';
import type { Group } from '../domain/vocabulary.js';
import { eventsWithEntry } from './events/index.js';
import { positionSealing } from './position-sealing.js';

/** Events whose audit entries are sealed as the positions they record are. */
const sealedEvents = new Set<string>(eventsWithEntry('sealed'));

/**
 * Which group each position of the open consultation was stated for, by its author, and where in
 * the chain that consultation began. The group is the one stored on the position row: the author's
 * group today may be another. One person states at most one position per round (a unique index).
 */
async function openRoundPositions(db: Kysely<Database>, guideline: GuidelineRow) {
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
  };
}

/**
 * A page of the guideline's audit trail as this reader may see it: a position still sealed keeps its
 * place in the trail (who and when) without its stance or statement.
 */
export async function guidelineHistory(
  db: Kysely<Database>,
  guideline: GuidelineRow,
  reader: Account,
  page: { after: number; limit: number },
) {
  const [rows, open, sealing] = await Promise.all([
    db
      .selectFrom('audit_entries')
      .selectAll()
      .where('chain', '=', guidelineChain(guideline.id))
      .where('seq', '>', page.after)
      .orderBy('seq')
      .limit(page.limit + 1)
      .execute(),
    openRoundPositions(db, guideline),
    positionSealing(db, guideline, reader),
  ]);
  const hidden = (entry: { seq: number; event_type: string; actor_id: string | null }) => {
    if (!sealedEvents.has(entry.event_type) || !open || entry.seq <= open.since) return false;
    const group = entry.actor_id ? open.groupOf.get(entry.actor_id) : undefined;
    // A position of the open round whose row cannot be found is shown to no one who needs a group.
    if (!group) return reader.role !== 'secretariat';
    return !sealing.mayRead({ group, round: guideline.round });
  };
  const items = rows.slice(0, page.limit).map((r) => ({
    seq: r.seq,
    event: r.event_type,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    fromState: r.from_state,
    toState: r.to_state,
    version: r.version,
    payload: hidden(r) ? { sealed: true } : r.payload,
    occurredAt: r.occurred_at,
    hash: r.hash,
  }));
  return { items, next: rows.length > page.limit ? (items.at(-1)?.seq ?? null) : null };
}
