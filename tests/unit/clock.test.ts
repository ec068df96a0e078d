import { describe, expect, it } from 'vitest';
import { ScenarioClock } from '../../src/clock.js';

describe('the scenario clock', () => {
  it('starts at the given instant and then runs with real time', () => {
    let real = 1_000_000;
    const clock = new ScenarioClock(new Date('2005-10-03T09:00:00Z'), () => real);
    expect(clock.now().toISOString()).toBe('2005-10-03T09:00:00.000Z');
    real += 90_000;
    expect(clock.now().toISOString()).toBe('2005-10-03T09:01:30.000Z');
  });

  it('advances by whole days without waiting, and never goes back', () => {
    const real = 5;
    const clock = new ScenarioClock(new Date('2005-10-03T09:00:00Z'), () => real);
    expect(clock.advance(28 * 24 * 3600).toISOString()).toBe('2005-10-31T09:00:00.000Z');
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe('2005-10-31T09:00:00.000Z');
  });
});
