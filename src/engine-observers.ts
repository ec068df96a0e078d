import type { Deliveries } from './notifications/deliveries/runtime.js';
import { streamObserver } from './notifications/stream/observer.js';
import type { EventObserver } from './workflow/observers.js';
import { timerObserver } from './workflow/timers.js';

/**
 * What the engine tells of every event, in a process that serves or works: delivery jobs, timers,
 * then the live stream last, since its lock is held from its statement to the commit.
 */
export const engineObservers = (deliveries: Deliveries): EventObserver[] => [
  deliveries.observer,
  timerObserver(),
  streamObserver(),
];
