// When a stage's timers fall: its deadline, and a reminder each offset before it (ISO 8601
// durations such as P7D, P1D, PT12H). Pure: the engine writes what this plans as timer rows.

const durationPattern =
  /^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?=\d)(?:(\d{1,5})H)?(?:(\d{1,6})M)?(?:(\d{1,7})S)?)?$/;

const dayMs = 86_400_000;
/** A reminder further ahead than this is not a reminder. */
export const longestOffsetMs = 366 * dayMs;

/**
 * Milliseconds of an ISO 8601 duration in weeks, days, hours, minutes and seconds; null for
 * anything else (years and months have no fixed length, so a reminder is not given in them).
 */
export function durationMs(iso: string): number | null {
  const m = durationPattern.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return null;
  const [, w = '0', d = '0', h = '0', min = '0', s = '0'] = m;
  return (
    Number(w) * 7 * dayMs +
    Number(d) * dayMs +
    Number(h) * 3_600_000 +
    Number(min) * 60_000 +
    Number(s) * 1000
  );
}

export interface PlannedTimer {
  dueAt: Date;
  /** null for the deadline itself; the offset for a reminder. */
  offsetBefore: string | null;
}

/**
 * The deadline and its reminders, earliest first. A reminder whose time has already passed when
 * the stage opens is left out (it would only arrive late and all at once); the deadline never is.
 */
export function timerPlan(deadline: Date, offsets: readonly string[], now: Date): PlannedTimer[] {
  const reminders = [...new Set(offsets)].flatMap((offset) => {
    const ms = durationMs(offset);
    if (ms === null || ms <= 0) return [];
    const dueAt = new Date(deadline.getTime() - ms);
    return dueAt > now ? [{ dueAt, offsetBefore: offset }] : [];
  });
  return [...reminders, { dueAt: deadline, offsetBefore: null }].sort(
    (a, b) => a.dueAt.getTime() - b.dueAt.getTime(),
  );
}
