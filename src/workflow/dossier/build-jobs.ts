import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import {
  type DossierBuildRow,
  dossierBuildRow,
  insertDossierBuild,
  updateDossierBuild,
} from '../../db/dossier-versions.js';
import type { Account, Database } from '../../db/schema.js';
import type { DossierOptions } from '../../domain/dossier/records.js';
import { RecordNotFound } from '../errors.js';
import { buildDossier, type DossierDeps } from './build-dossier.js';

// A dossier build is a job: the request is a row (queued → running → succeeded | failed) that a
// client can poll, and an executor runs it. The executor here runs jobs in this process one at a
// time; a pg-boss worker can take its place by calling runDossierBuild with the job's id.

export interface DossierExecutor {
  /** Runs the build whose row exists; settles when its row says how it ended. */
  submit(buildId: string): Promise<void>;
}

export async function requestDossierBuild(
  deps: { db: Kysely<Database>; clock: Clock },
  sessionId: string,
  options: Partial<DossierOptions>,
  by: Account,
): Promise<DossierBuildRow> {
  const session = await deps.db
    .selectFrom('gb_sessions')
    .select('id')
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!session) throw new RecordNotFound('Governing Body session');
  return insertDossierBuild(deps.db, {
    gb_session_id: sessionId,
    options: JSON.stringify(options),
    requested_by: by.id,
    requested_at: deps.clock.now(),
  });
}

/** Runs one queued build to its end; a failure is recorded on the row, never thrown. */
export async function runDossierBuild(deps: DossierDeps, buildId: string): Promise<void> {
  // Taking the job is one conditional update, so two workers never run the same build.
  const row = await deps.db
    .updateTable('dossier_builds')
    .set({ status: 'running' })
    .where('id', '=', buildId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
  if (!row) return;
  try {
    const by = await deps.db
      .selectFrom('users')
      .select(['id', 'role'])
      .where('id', '=', row.requested_by)
      .executeTakeFirstOrThrow();
    const result = await buildDossier(
      deps,
      row.gb_session_id,
      row.options as Partial<DossierOptions>,
      by,
    );
    await updateDossierBuild(deps.db, buildId, {
      status: 'succeeded',
      finished_at: deps.clock.now(),
      version_number: result.version.number,
      created_version: result.created,
    });
  } catch (error) {
    await updateDossierBuild(deps.db, buildId, {
      status: 'failed',
      finished_at: deps.clock.now(),
      error: (error as Error)?.message ?? String(error),
    });
  }
}

/** Runs builds in this process, one after another, so a burst of requests queues, bounded. */
export function inProcessExecutor(deps: DossierDeps): DossierExecutor {
  let queue: Promise<void> = Promise.resolve();
  return {
    submit(buildId) {
      const run = queue.then(() => runDossierBuild(deps, buildId));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export function dossierBuildStatus(db: Kysely<Database>, sessionId: string, buildId: string) {
  return dossierBuildRow(db, sessionId, buildId);
}
