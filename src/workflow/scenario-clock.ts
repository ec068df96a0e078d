import type { Kysely } from 'kysely';
import { ScenarioClock } from '../clock.js';
import { storeClock, storedClock } from '../db/scenario-clock.js';
import type { Database } from '../db/schema.js';

// The scenario clock kept in the database: a restart resumes it where it stood (it does not run
// while the server is down), and processes sharing a database follow the one that advanced it.

/** The clock for CLOCK_START `start`: resumed from the database when it began at the same start. */
export async function openScenarioClock(
  db: Kysely<Database>,
  start: Date,
  source: () => number = Date.now,
): Promise<ScenarioClock> {
  const stored = await storedClock(db);
  const resumeAt =
    stored && new Date(stored.started_from).getTime() === start.getTime()
      ? new Date(stored.stands_at)
      : start;
  const clock = new ScenarioClock(start, source, resumeAt);
  await storeClock(db, start, clock.now());
  return clock;
}

/** Catches up with a position another process stored, then stores this one's. */
export async function syncScenarioClock(db: Kysely<Database>, clock: ScenarioClock) {
  const stored = await storedClock(db);
  if (stored && new Date(stored.started_from).getTime() === clock.start.getTime()) {
    clock.catchUp(new Date(stored.stands_at));
  }
  await storeClock(db, clock.start, clock.now());
}

/** Moves the clock forward and stores where it now stands. */
export async function advanceScenarioClock(
  db: Kysely<Database>,
  clock: ScenarioClock,
  seconds: number,
): Promise<Date> {
  await syncScenarioClock(db, clock);
  const now = clock.advance(seconds);
  await storeClock(db, clock.start, now);
  return now;
}
