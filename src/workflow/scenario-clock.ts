import type { Kysely } from 'kysely';
import { ScenarioClock } from '../clock.js';
import {
  advanceStoredClock,
  latestRecordedInstant,
  storeClock,
  storedClock,
} from '../db/scenario-clock.js';
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
  const resumed =
    stored && new Date(stored.started_from).getTime() === start.getTime()
      ? new Date(stored.stands_at)
      : null;
  // After a kill -9 the stored position may lag what was recorded since: never resume before that.
  const recorded = resumed ? await latestRecordedInstant(db) : null;
  const resumeAt = new Date(
    Math.max(start.getTime(), resumed?.getTime() ?? 0, recorded?.getTime() ?? 0),
  );
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
  const stands = await advanceStoredClock(db, clock.start, clock.now(), seconds);
  clock.catchUp(stands);
  return clock.now();
}

/**
 * The clock a process runs on: the scenario clock CLOCK_START names; else, unless told `now`, the
 * scenario clock the database holds (a seeded demo on PostgreSQL); else none (system time).
 */
export async function scenarioClockFor(
  db: Kysely<Database>,
  config: { clockStart: Date | undefined; clockFollowsStored: boolean },
): Promise<ScenarioClock | undefined> {
  if (config.clockStart) return openScenarioClock(db, config.clockStart);
  if (!config.clockFollowsStored) return undefined;
  const stored = await storedClock(db);
  return stored ? openScenarioClock(db, new Date(stored.started_from)) : undefined;
}
