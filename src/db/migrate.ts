import type { Kysely } from 'kysely';
import { type MigrationResultSet, Migrator, NO_MIGRATIONS } from 'kysely/migration';
import { migrationProvider, migrations } from './migrations/index.js';

// Kysely's Postgres adapter holds a session advisory lock while it migrates, so two processes
// starting at once against one PostgreSQL take turns: the second finds nothing left to do.

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migrationName: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

function unwrap(outcome: MigrationResultSet): string[] {
  const failed = outcome.results?.find((r) => r.status === 'Error');
  if (outcome.error || failed) {
    throw new MigrationError(
      `migration ${failed?.migrationName ?? ''} failed: ${String((outcome.error as Error)?.message ?? outcome.error)}`,
      failed?.migrationName,
      { cause: outcome.error },
    );
  }
  return (outcome.results ?? []).map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateToLatest());
}

/** Reverts every migration (tests and local resets only). */
export async function migrateDownAll(db: Kysely<any>): Promise<string[]> {
  return unwrap(await migrator(db).migrateTo(NO_MIGRATIONS));
}

/** Names of migrations the code knows but the database has not applied. */
export async function pendingMigrations(db: Kysely<any>): Promise<string[]> {
  const known = await migrator(db).getMigrations();
  return known.filter((m) => !m.executedAt).map((m) => m.name);
}

export const latestMigration = Object.keys(migrations).at(-1);
