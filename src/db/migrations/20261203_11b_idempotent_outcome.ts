import { type Kysely, sql } from 'kysely';

// Frozen. A workflow event sent with an Idempotency-Key records, in its own transaction, which event
// it committed. A retry after the request died then finds what committed and answers from it, rather
// than waiting out the key or running the event a second time.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table idempotency_keys add column committed_guideline_id uuid`.execute(db);
  await sql`alter table idempotency_keys add column committed_version integer`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('idempotency_keys').dropColumn('committed_version').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('committed_guideline_id').execute();
}
