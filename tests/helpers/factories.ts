import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ScenarioClock } from '../../src/clock.js';
import type { Database, NewUser } from '../../src/db/schema.js';
import { hashPassword } from '../../src/domain/password.js';
import { createGuideline } from '../../src/workflow/create-guideline.js';

// Small builders for rows a test needs, each unique so tests in one file never collide.

export const testPassword = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;
/** Hashing is deliberately slow; one hash serves every test user. */
export const testPasswordHash = () => {
  passwordHash ??= hashPassword(testPassword);
  return passwordHash;
};

/** A clock frozen in the scenario's October 2005 unless advanced. */
export const frozenClock = (iso = '2005-10-03T09:00:00Z') => {
  const frozen = Date.now();
  return new ScenarioClock(new Date(iso), () => frozen);
};

export async function insertUser(db: Kysely<Database>, overrides: Partial<NewUser> = {}) {
  const role = overrides.role ?? 'drafter';
  return db
    .insertInto('users')
    .values({
      email: `user-${randomUUID()}@example.org`,
      name: 'Test user',
      role,
      group: role === 'expert' ? 'government' : null,
      password_hash: await testPasswordHash(),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function sectionId(db: Kysely<Database>, slug = 'protection') {
  const row = await db
    .selectFrom('framework_sections')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertGuideline(db: Kysely<Database>, ownerId?: string) {
  const owner = ownerId ?? (await insertUser(db, { role: 'drafter' })).id;
  return createGuideline(db, frozenClock(), {
    ownerId: owner,
    sectionId: await sectionId(db),
    title: 'Test guideline',
    text: 'First paragraph.\n\nSecond paragraph.',
    references: ['C97'],
  });
}

export async function insertMeeting(db: Kysely<Database>) {
  const framework = await db.selectFrom('frameworks').select('id').executeTakeFirstOrThrow();
  return db
    .insertInto('meetings')
    .values({
      framework_id: framework.id,
      name: `Meeting ${randomUUID()}`,
      starts_at: '2005-10-31T08:00:00Z',
      ends_at: '2005-11-02T17:00:00Z',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Revision 1 of a guideline, frozen from its current text. */
export function insertRevision(
  db: Kysely<Database>,
  guideline: { id: string; title: string; text: string; owner_id: string },
) {
  return db
    .insertInto('revisions')
    .values({
      guideline_id: guideline.id,
      number: 1,
      round: 1,
      title: guideline.title,
      text: guideline.text,
      references: '[]',
      created_by: guideline.owner_id,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A guideline's version as stored. */
/** The guideline row as stored now. */
export function storedGuideline(db: Kysely<Database>, guidelineId: string) {
  return db
    .selectFrom('guidelines')
    .selectAll()
    .where('id', '=', guidelineId)
    .executeTakeFirstOrThrow();
}

export async function storedVersion(db: Kysely<Database>, guidelineId: string): Promise<number> {
  const row = await db
    .selectFrom('guidelines')
    .select('version')
    .where('id', '=', guidelineId)
    .executeTakeFirstOrThrow();
  return row.version;
}
