// Every piece of code reads the time from one injected Clock, so a scenario (the 2005 meeting) can run
// at a chosen instant and tests never sleep.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Starts at `start` and then runs in real time; `advance` jumps it forward. Used when CLOCK_START is
 * set, and by tests (with a frozen source) to move time without waiting.
 */
export class ScenarioClock implements Clock {
  /** The instant the scenario began at (CLOCK_START), whatever it resumed from. */
  readonly start: Date;
  readonly #origin: number;
  readonly #source: () => number;
  readonly #sourceAtOrigin: number;
  #advancedMs = 0;

  constructor(start: Date, source: () => number = Date.now, resumeAt: Date = start) {
    this.start = start;
    this.#origin = resumeAt.getTime();
    this.#source = source;
    this.#sourceAtOrigin = source();
  }

  now(): Date {
    return new Date(this.#origin + (this.#source() - this.#sourceAtOrigin) + this.#advancedMs);
  }

  advance(seconds: number): Date {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError('the clock only moves forward by a finite number of seconds');
    }
    this.#advancedMs += seconds * 1000;
    return this.now();
  }

  /** Moves forward to `at` if it is ahead (another process advanced the stored clock). */
  catchUp(at: Date): void {
    const ahead = at.getTime() - this.now().getTime();
    if (ahead > 0) this.#advancedMs += ahead;
  }
}
