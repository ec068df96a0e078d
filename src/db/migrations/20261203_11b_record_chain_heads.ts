import { type Kysely, sql } from 'kysely';

// Frozen. Users, meetings and Governing Body sessions keep their audit chains' heads here, as each
// guideline keeps its own on its row: a chain whose last entries were deleted no longer ends where
// its recorded head says. Filled from the entries already there.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table audit_chain_heads (
      chain text primary key check (chain ~ '^(user|meeting|gb-session):'),
      seq integer not null check (seq > 0),
      hash text not null check (hash ~ '^[0-9a-f]{64}$')
    )
  `.execute(db);
  await sql`
    insert into audit_chain_heads (chain, seq, hash)
    select distinct on (chain) chain, seq, hash
    from audit_entries
    where chain ~ '^(user|meeting|gb-session):'
    order by chain, seq desc
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_chain_heads').execute();
}
