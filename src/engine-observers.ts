import type { Logger } from 'pino';
import type { Deliveries } from './notifications/deliveries/runtime.js';
import type { StreamHub } from './notifications/stream/hub.js';
import { streamObserver } from './notifications/stream/observer.js';
import type { EventObserver } from './workflow/observers.js';
import { timerObserver } from './workflow/timers.js';

/**
 * What the engine tells of every event, in a process that serves or works: delivery jobs, timers
 * and the live stream (told to the process's own hub, where it has one).
 */
export const engineObservers = (
  deliveries: Deliveries,
  logger: Logger,
  hub?: Pick<StreamHub, 'committed'>,
): EventObserver[] => [deliveries.observer, timerObserver(), streamObserver({ hub, logger })];
