import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

// Where the scenario clock stood last, so that a restart resumes it there.

export function storedClock(db: Kysely<Database>) {
  return db
    .selectFrom('scenario_clock')
    .select(['started_from', 'stands_at'])
    .where('id', '=', 1)
    .executeTakeFirst();
}

/**
 * The latest instant the record holds (audit entries are written at the clock's now): a clock
 * resumed after a crash starts no earlier, so the record never runs backwards.
 */
export async function latestRecordedInstant(db: Kysely<Database>): Promise<Date | null> {
  const row = await db
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/**
 * Moves the stored clock forward by `seconds` from the later of where it stands and `from`, in one
 * statement (two processes advancing at once both count); answers where it now stands.
 */
export async function advanceStoredClock(
  db: Kysely<Database>,
  startedFrom: Date,
  from: Date,
  seconds: number,
): Promise<Date> {
  await storeClock(db, startedFrom, from);
  const row = await db
    .updateTable('scenario_clock')
    .set((eb) => ({
      stands_at: sql<Date>`${eb.ref('stands_at')} + make_interval(secs => ${seconds})`,
      updated_at: new Date(),
    }))
    .where('id', '=', 1)
    .returning('stands_at')
    .executeTakeFirstOrThrow();
  return new Date(row.stands_at);
}

/** Records the clock's position; it only ever moves forward, whichever process writes. */
export async function storeClock(db: Kysely<Database>, startedFrom: Date, standsAt: Date) {
  await db
    .insertInto('scenario_clock')
    .values({ id: 1, started_from: startedFrom, stands_at: standsAt, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        started_from: eb.ref('excluded.started_from'),
        stands_at: eb.fn('greatest', [
          eb.ref('excluded.stands_at'),
          eb
            .case()
            .when('scenario_clock.started_from', '=', eb.ref('excluded.started_from'))
            .then(eb.ref('scenario_clock.stands_at'))
            .else(eb.ref('excluded.stands_at'))
            .end(),
        ]),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}
