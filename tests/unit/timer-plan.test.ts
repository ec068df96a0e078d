import { describe, expect, it } from 'vitest';
import { durationMs, timerPlan } from '../../src/domain/timer-plan.js';

describe('reminder offsets', () => {
  it('reads weeks, days, hours, minutes and seconds', () => {
    expect(durationMs('P7D')).toBe(7 * 86_400_000);
    expect(durationMs('P1W')).toBe(7 * 86_400_000);
    expect(durationMs('PT12H')).toBe(12 * 3_600_000);
    expect(durationMs('P1DT6H30M')).toBe(86_400_000 + 6.5 * 3_600_000);
    expect(durationMs('PT90S')).toBe(90_000);
  });

  it('refuses what is not a fixed length of time', () => {
    for (const bad of ['P', 'PT', 'P1M', 'P1Y', '7D', 'P-1D', 'P1.5D', 'P1DT', '', 'p7d']) {
      expect(durationMs(bad), bad).toBeNull();
    }
  });

  it('plans the reminders still ahead, then the deadline', () => {
    const deadline = new Date('2005-10-28T17:00:00Z');
    const plan = timerPlan(
      deadline,
      ['P1D', 'P7D', 'P30D', 'P1D'],
      new Date('2005-10-03T09:00:00Z'),
    );
    expect(plan.map((p) => [p.dueAt.toISOString(), p.offsetBefore])).toEqual([
      ['2005-10-21T17:00:00.000Z', 'P7D'],
      ['2005-10-27T17:00:00.000Z', 'P1D'],
      ['2005-10-28T17:00:00.000Z', null],
    ]);
  });

  it('keeps the deadline even when it has passed', () => {
    const plan = timerPlan(
      new Date('2005-10-28T17:00:00Z'),
      ['P7D'],
      new Date('2005-11-01T00:00:00Z'),
    );
    expect(plan.map((p) => p.offsetBefore)).toEqual([null]);
  });
});
