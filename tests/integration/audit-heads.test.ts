import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChains } from '../../src/workflow/verify-audit.js';
import { freshDatabase, type TestDatabase } from '../helpers/database.js';
import { insertGuideline } from '../helpers/factories.js';
import { openConsultation, setUpReview } from '../helpers/review.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await freshDatabase();
});
afterAll(async () => {
  await t.close();
});

describe('the audit check against recorded heads', () => {
  it('finds a deleted last entry, and a guideline chain deleted whole', async () => {
    const r = await setUpReview(t.db);
    const { id } = await insertGuideline(t.db, r.owner.id);
    await openConsultation(r, id);
    const chain = `guideline:${id}`;
    expect((await verifyAuditChains(t.db, [chain])).ok).toBe(true);
    const last = await t.db
      .selectFrom('audit_entries')
      .select(['id', 'seq'])
      .where('chain', '=', chain)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    // What someone with direct access to the database could do: lift the append-only guard.
    await sql`alter table audit_entries disable trigger audit_entries_append_only`.execute(t.db);
    await t.db.deleteFrom('audit_entries').where('id', '=', last.id).execute();
    const truncated = await verifyAuditChains(t.db, [chain]);
    expect(truncated.ok).toBe(false);
    expect(truncated.firstBreak).toMatchObject({ chain, problem: 'head_mismatch', seq: last.seq });
    await t.db.deleteFrom('audit_entries').where('chain', '=', chain).execute();
    const whole = await verifyAuditChains(t.db);
    expect(whole.ok).toBe(false);
    expect(whole.firstBreak).toMatchObject({ chain, problem: 'head_mismatch' });
  });
});
