import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { appendAuditEntry, guidelineChain } from '../db/audit.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import type { Actor } from '../domain/permissions.js';
import { maySeeGuideline, visibilityFacts } from '../domain/visibility.js';
import { restoreSnapshot } from '../machines/snapshot.js';
import { actionVerdict, refusalOf } from './allowed-actions.js';
import { EventForbidden, GuidelineNotFound, VersionConflict } from './errors.js';
import { lockGuideline } from './guideline-lock.js';
import { standingOf } from './standing.js';

/**
 * The owner edits the working text in drafting and revision (submitted text is frozen in revisions;
 * from submission to the Governing Body the working text is locked). Each edit is a new version and
 * an audit entry, like any event.
 */
export async function editText(
  deps: { db: Kysely<Database>; clock: Clock },
  guidelineId: string,
  input: { text: string; title?: string | undefined },
  actor: Actor,
  /** undefined: whatever version is current (If-Match: *). */
  expectedVersion: number | undefined,
): Promise<GuidelineRow> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await lockGuideline(trx, guidelineId);
    if (actor.kind === 'user' && !maySeeGuideline(actor, visibilityFacts(row))) {
      throw new GuidelineNotFound(guidelineId);
    }
    if (actor.kind !== 'user') throw new EventForbidden('EDIT_TEXT', 'only people edit a text');
    const snapshot = restoreSnapshot(row.snapshot, row.machine_version);
    const verdict = actionVerdict(actor, 'EDIT_TEXT', await standingOf(trx, row, actor), snapshot);
    // Not yours is said before a stale version, which is said before "not now".
    if (!verdict.allowed && verdict.forbidden) throw refusalOf('EDIT_TEXT', snapshot, verdict);
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw new VersionConflict(expectedVersion, row.version);
    }
    if (!verdict.allowed) throw refusalOf('EDIT_TEXT', snapshot, verdict);
    const now = deps.clock.now();
    const version = row.version + 1;
    const head = await appendAuditEntry(
      trx,
      {
        chain: guidelineChain(row.id),
        guidelineId: row.id,
        actorId: actor.id,
        actorRole: actor.role,
        eventType: 'EDIT_TEXT',
        payload: { characters: input.text.length, ...(input.title ? { title: input.title } : {}) },
        fromState: row.state,
        toState: row.state,
        version,
        occurredAt: now,
      },
      { seq: row.audit_seq, hash: row.audit_hash },
    );
    return trx
      .updateTable('guidelines')
      .set({
        text: input.text,
        ...(input.title ? { title: input.title } : {}),
        version,
        audit_seq: head.seq,
        audit_hash: head.hash,
        updated_at: now,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
