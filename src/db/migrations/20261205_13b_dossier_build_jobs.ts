import { type Kysely, sql } from 'kysely';

// Frozen. Dossier builds as durable jobs (issue 13): a runner keeps `heartbeat_at` fresh while it
// builds, so a build whose process died (its row left 'running') is found and queued again;
// `attempts` counts the runs it took.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table dossier_builds
      add column started_at timestamptz,
      add column heartbeat_at timestamptz,
      add column attempts integer not null default 0
  `.execute(db);
  await sql`
    create index dossier_builds_unfinished on dossier_builds (heartbeat_at)
     where status in ('queued', 'running')
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index dossier_builds_unfinished`.execute(db);
  await sql`
    alter table dossier_builds drop column started_at, drop column heartbeat_at, drop column attempts
  `.execute(db);
}
