import { type Kysely, sql } from 'kysely';

// Frozen. A guideline's comments in (created_at, id) order without a filter: the default listing,
// which the round, group and paragraph indexes cannot serve.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index comments_by_time on comments (guideline_id, created_at, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index comments_by_time`.execute(db);
}
