import type { Kysely } from 'kysely';
import {
  type DossierBuildRow,
  type DossierVersion,
  type DossierVersionSummary,
  dossierBuildRow,
  dossierVersion,
  dossierVersions,
} from '../../db/dossier-versions.js';
import { findGbSession } from '../../db/gb-sessions.js';
import type { Database } from '../../db/schema.js';
import { isUuid } from '../../domain/ids.js';

// The dossier as its readers ask for it: a stored version, the list of versions, a build job. What
// is missing is told apart — no such session, or a session whose dossier was never built — so the
// route can say which.

export type Missing = { missing: 'session' | 'dossier' };

async function missing(db: Kysely<Database>, sessionId: string): Promise<Missing> {
  return { missing: (await findGbSession(db, sessionId)) ? 'dossier' : 'session' };
}

/** Version `n` of a session's dossier, or its latest. */
export async function storedDossier(
  db: Kysely<Database>,
  sessionId: string,
  n?: number,
): Promise<{ version: DossierVersion } | Missing> {
  if (!isUuid(sessionId)) return { missing: 'session' };
  const version = await dossierVersion(db, sessionId, n);
  return version ? { version } : missing(db, sessionId);
}

/** Every version of a session's dossier, oldest first. */
export async function dossierHistory(
  db: Kysely<Database>,
  sessionId: string,
): Promise<{ versions: DossierVersionSummary[] } | Missing> {
  if (!isUuid(sessionId)) return { missing: 'session' };
  const versions = await dossierVersions(db, sessionId);
  return versions.length > 0 ? { versions } : missing(db, sessionId);
}

/** One build job of a session's dossier. */
export async function dossierBuild(
  db: Kysely<Database>,
  sessionId: string,
  buildId: string,
): Promise<DossierBuildRow | undefined> {
  if (!isUuid(sessionId) || !isUuid(buildId)) return undefined;
  return dossierBuildRow(db, sessionId, buildId);
}
