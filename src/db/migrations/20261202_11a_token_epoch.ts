import { type Kysely, sql } from 'kysely';

// Frozen. Each token carries the epoch of its user at issue; raising it ends every earlier token. A
// counter rather than a time, so a token issued in the same second as a password change is judged
// exactly (JWT `iat` has whole seconds only).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table users add column token_epoch integer not null default 0 check (token_epoch >= 0)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('token_epoch').execute();
}
