import type { Logger } from 'pino';
import type { ScenarioClock } from '../clock.js';
import { upcomingTimers } from '../db/timers.js';
import { advanceScenarioClock, syncScenarioClock } from './scenario-clock.js';
import { type FiredTimer, fireDueTimers, type TimerDeps } from './timers.js';

// Time acting by itself, in a process: every few seconds (and at start, so a timer due while the
// server was down fires now) the due timers fire; a scenario clock is kept in step with the
// database on each pass. Passes never overlap in a process; across processes the timers' row locks
// share the work out.

/** How often a worker looks for due timers: a deadline fires at most this late. */
export const timerPassMs = 10_000;

export interface TimerLoop {
  /** One pass now, after any pass already running. */
  tick(): Promise<FiredTimer[]>;
  /** Moves the scenario clock forward and fires what became due (only with a scenario clock). */
  advance(seconds: number): Promise<{ now: Date; fired: FiredTimer[] }>;
  /** The next pending timers, earliest first. */
  upcoming(limit: number): ReturnType<typeof upcomingTimers>;
  readonly scenario: ScenarioClock | undefined;
  /**
   * Starts the periodic passes: the scenario clock kept in step with the database, and — where the
   * workers run — the due timers fired. Without it, only tick and advance fire.
   */
  start(intervalMs: number, options: { fire: boolean }): void;
  stop(): Promise<void>;
}

export function createTimerLoop(
  deps: TimerDeps & { scenario?: ScenarioClock | undefined; logger: Logger },
): TimerLoop {
  let running: Promise<unknown> = Promise.resolve();
  let interval: NodeJS.Timeout | undefined;
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = running.then(work, work);
    running = next.catch(() => {});
    return next;
  };
  const fire = async () => {
    const fired = await fireDueTimers({
      ...deps,
      onError: (error, timer) =>
        deps.logger.error({ err: error, timer }, 'a timer failed; it will be tried again'),
    });
    for (const t of fired) deps.logger.info({ timer: t }, 'timer fired');
    return fired;
  };
  const sync = async () => {
    if (deps.scenario) await syncScenarioClock(deps.db, deps.scenario);
  };
  const pass = async () => {
    await sync();
    return fire();
  };
  return {
    scenario: deps.scenario,
    tick: () => serial(pass),
    advance: (seconds) =>
      serial(async () => {
        const scenario = deps.scenario;
        if (!scenario) throw new Error('only a scenario clock can be advanced');
        const now = await advanceScenarioClock(deps.db, scenario, seconds);
        return { now, fired: await fire() };
      }),
    upcoming: (limit) => upcomingTimers(deps.db, limit),
    start(intervalMs, options) {
      if (interval) return;
      const run = () =>
        void serial<unknown>(options.fire ? pass : sync).catch((error: unknown) =>
          deps.logger.error({ err: error }, 'timer pass failed; the next one will try again'),
        );
      run();
      interval = setInterval(run, intervalMs);
      interval.unref();
    },
    async stop() {
      if (interval) clearInterval(interval);
      interval = undefined;
      await running;
      await sync().catch(() => {});
    },
  };
}
