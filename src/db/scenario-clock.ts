import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

// Where the scenario clock stood last, so that a restart resumes it there.

export function storedClock(db: Kysely<Database>) {
  return db
    .selectFrom('scenario_clock')
    .select(['started_from', 'stands_at'])
    .where('id', '=', 1)
    .executeTakeFirst();
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
