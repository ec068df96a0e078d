import { type Kysely, sql } from 'kysely';

// Frozen. Each meeting says how the Governing Body paper names those who commented (issue 13):
// 'group' (their role and group only, the default) or 'name' (their name and organisation).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table meetings add column comment_attribution text not null default 'group'
      check (comment_attribution in ('group', 'name'))
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table meetings drop column comment_attribution`.execute(db);
}
