import { type Kysely, sql } from 'kysely';

// Frozen. Each Governing Body session says how its paper is headed (SPEC section 6: the symbol is
// configurable per session): `paper` holds any of symbol, committee, agendaItem and purpose, which
// a build uses where neither its request nor the last version says otherwise.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table gb_sessions add column paper jsonb not null default '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table gb_sessions drop column paper`.execute(db);
}
