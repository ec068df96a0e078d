import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import { appendAuditEntry, guidelineChain } from '../db/audit.js';
import type { Database, GuidelineRow } from '../db/schema.js';
import { MACHINE_VERSION } from '../machines/guideline.js';
import { initialSnapshot, persistSnapshot, topState } from '../machines/snapshot.js';

export interface NewGuideline {
  ownerId: string;
  sectionId: string;
  title: string;
  text: string;
  references: string[];
}

/** A new guideline starts in drafting; its creation opens its audit chain. */
export function createGuideline(
  db: Kysely<Database>,
  clock: Clock,
  input: NewGuideline,
): Promise<GuidelineRow> {
  return db.transaction().execute((trx) => insertGuideline(trx, clock, input));
}

/** The same, inside a transaction the caller owns (the demo seeder). */
export async function insertGuideline(
  trx: Transaction<Database>,
  clock: Clock,
  input: NewGuideline,
): Promise<GuidelineRow> {
  const snapshot = initialSnapshot({ ownerId: input.ownerId });
  const now = clock.now();
  const row = await trx
    .insertInto('guidelines')
    .values({
      section_id: input.sectionId,
      owner_id: input.ownerId,
      title: input.title,
      text: input.text,
      references: JSON.stringify(input.references),
      machine_version: MACHINE_VERSION,
      snapshot: JSON.stringify(persistSnapshot(snapshot)),
      state: topState(snapshot),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const head = await appendAuditEntry(
    trx,
    {
      chain: guidelineChain(row.id),
      guidelineId: row.id,
      actorId: input.ownerId,
      actorRole: 'drafter',
      eventType: 'CREATE',
      payload: { title: input.title, sectionId: input.sectionId, references: input.references },
      fromState: null,
      toState: row.state,
      version: row.version,
      occurredAt: now,
    },
    { seq: 0, hash: null },
  );
  return trx
    .updateTable('guidelines')
    .set({ audit_seq: head.seq, audit_hash: head.hash })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
