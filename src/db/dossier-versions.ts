import {
  type Insertable,
  type InsertObject,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import type { Database, DossierBuildsTable, DossierVersionsTable } from './schema.js';

// The stored dossier versions and build jobs: plain functions over db or a transaction.

export type DossierVersion = Selectable<DossierVersionsTable>;
export type DossierVersionSummary = Omit<DossierVersion, 'document' | 'html' | 'markdown' | 'pdf'>;
export type DossierBuildRow = Selectable<DossierBuildsTable>;

const summaryColumns = [
  'gb_session_id',
  'number',
  'symbol',
  'content_hash',
  'html_sha256',
  'markdown_sha256',
  'pdf_sha256',
  'built_at',
  'built_by',
] as const;

export function dossierVersions(db: Kysely<Database>, sessionId: string) {
  return db
    .selectFrom('dossier_versions')
    .select(summaryColumns)
    .where('gb_session_id', '=', sessionId)
    .orderBy('number')
    .execute();
}

export function latestDossierSummary(db: Kysely<Database>, sessionId: string) {
  return db
    .selectFrom('dossier_versions')
    .select([...summaryColumns, 'document'])
    .where('gb_session_id', '=', sessionId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** One version with its renderings; `number` omitted for the latest. */
export function dossierVersion(db: Kysely<Database>, sessionId: string, number?: number) {
  let query = db.selectFrom('dossier_versions').selectAll().where('gb_session_id', '=', sessionId);
  if (number !== undefined) query = query.where('number', '=', number);
  return query.orderBy('number', 'desc').limit(1).executeTakeFirst();
}

/** Holds the session's row so that two builds cannot both take the next number. */
export async function lockSessionForDossier(trx: Transaction<Database>, sessionId: string) {
  await trx
    .selectFrom('gb_sessions')
    .select('id')
    .where('id', '=', sessionId)
    .forUpdate()
    .execute();
  const last = await trx
    .selectFrom('dossier_versions')
    .select(['number', 'content_hash'])
    .where('gb_session_id', '=', sessionId)
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ?? null;
}

export function insertDossierVersion(
  trx: Transaction<Database>,
  version: Insertable<DossierVersionsTable>,
) {
  return trx.insertInto('dossier_versions').values(version).execute();
}

export function insertDossierBuild(
  db: Kysely<Database>,
  build: InsertObject<Database, 'dossier_builds'>,
) {
  return db.insertInto('dossier_builds').values(build).returningAll().executeTakeFirstOrThrow();
}

export function dossierBuildRow(db: Kysely<Database>, sessionId: string, buildId: string) {
  return db
    .selectFrom('dossier_builds')
    .selectAll()
    .where('id', '=', buildId)
    .where('gb_session_id', '=', sessionId)
    .executeTakeFirst();
}

/**
 * Takes a queued build for this runner: one conditional update, so two runners never take the same
 * one. Its heartbeat starts now (database time, whatever clock the scenario runs on).
 */
export function claimDossierBuild(db: Kysely<Database>, buildId: string) {
  return db
    .updateTable('dossier_builds')
    .set((eb) => ({
      status: 'running',
      started_at: sql<Date>`now()`,
      heartbeat_at: sql<Date>`now()`,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', buildId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
}

/** The runner is alive: a build whose heartbeat stops is taken for dead (requeueStalledBuilds). */
export async function touchDossierBuild(
  db: Kysely<Database>,
  run: { id: string; attempts: number },
): Promise<void> {
  await db
    .updateTable('dossier_builds')
    .set({ heartbeat_at: sql<Date>`now()` })
    .where('id', '=', run.id)
    .where('attempts', '=', run.attempts)
    .where('status', '=', 'running')
    .execute();
}

/**
 * The builds to queue again, their heartbeat restarted: a running one whose heartbeat is older
 * than `staleMs` (its process died), and a queued one left waiting that long (its job was lost, or
 * ran out of retries while the database was away). A second job for a build still queued is
 * harmless: only one run can take it.
 */
export async function requeueStalledBuilds(
  db: Kysely<Database>,
  staleMs: number,
): Promise<string[]> {
  const rows = await db
    .updateTable('dossier_builds')
    .set({ status: 'queued', heartbeat_at: sql<Date>`now()` })
    .where('status', 'in', ['queued', 'running'])
    .where((eb) =>
      eb.or([
        eb('heartbeat_at', '<', sql<Date>`now() - make_interval(secs => ${staleMs / 1000})`),
        eb('heartbeat_at', 'is', null),
      ]),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Records how a run ended, if the build is still this run's: one taken for dead and run again
 * meanwhile (a later attempt) is the later run's to record.
 */
export function settleDossierBuild(
  db: Kysely<Database>,
  run: { id: string; attempts: number },
  change: Pick<DossierBuildRow, 'status' | 'finished_at'> &
    Partial<Pick<DossierBuildRow, 'version_number' | 'created_version' | 'error'>>,
) {
  return db
    .updateTable('dossier_builds')
    .set(change)
    .where('id', '=', run.id)
    .where('attempts', '=', run.attempts)
    .execute();
}
