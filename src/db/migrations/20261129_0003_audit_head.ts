import { type Kysely, sql } from 'kysely';

// Frozen. Each guideline keeps the head of its audit chain (last seq and hash) on its own row, so
// the engine, which locks that row anyway, appends without a second lock or a read of the chain.
// unique (chain, seq) on audit_entries still refuses any fork.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table guidelines add column audit_seq integer not null default 0 check (audit_seq >= 0)`.execute(
    db,
  );
  await sql`alter table guidelines add column audit_hash text check (audit_hash ~ '^[0-9a-f]{64}$')`.execute(
    db,
  );
  await sql`
    update guidelines g set audit_seq = a.seq, audit_hash = a.hash
    from (
      select distinct on (guideline_id) guideline_id, seq, hash
      from audit_entries where guideline_id is not null
      order by guideline_id, seq desc
    ) a
    where a.guideline_id = g.id
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('guidelines').dropColumn('audit_hash').execute();
  await db.schema.alterTable('guidelines').dropColumn('audit_seq').execute();
}
