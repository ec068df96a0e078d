import { type Kysely, sql } from 'kysely';

// Frozen. The Governing Body dossier: every build that changed something is an immutable, numbered
// version with its renderings and their digests; builds run as jobs whose status is kept here so
// that a client can poll one, and a queue (pg-boss) can take them over later.

const schema = [
  sql`
    create table dossier_versions (
      gb_session_id uuid not null references gb_sessions (id),
      number integer not null check (number > 0),
      symbol text not null check (length(trim(symbol)) > 0),
      content_hash text not null check (content_hash ~ '^[0-9a-f]{64}$'),
      document jsonb not null,
      html text not null,
      markdown text not null,
      pdf bytea not null,
      html_sha256 text not null,
      markdown_sha256 text not null,
      pdf_sha256 text not null,
      built_at timestamptz not null,
      built_by uuid not null references users (id),
      primary key (gb_session_id, number)
    )
  `,
  // A version is what was published: the database itself refuses to change or remove one.
  sql`
    create trigger dossier_versions_immutable before update or delete on dossier_versions
      for each row execute function refuse_change()
  `,
  sql`
    create table dossier_builds (
      id uuid primary key default gen_random_uuid(),
      gb_session_id uuid not null references gb_sessions (id),
      status text not null default 'queued'
        check (status in ('queued', 'running', 'succeeded', 'failed')),
      options jsonb not null,
      requested_by uuid not null references users (id),
      requested_at timestamptz not null,
      finished_at timestamptz,
      version_number integer,
      created_version boolean,
      error text,
      foreign key (gb_session_id, version_number) references dossier_versions (gb_session_id, number)
    )
  `,
  sql`create index dossier_builds_session on dossier_builds (gb_session_id, requested_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of schema) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dossier_builds').execute();
  await db.schema.dropTable('dossier_versions').execute();
}
