import { pino } from 'pino';
import type { DeliveryConfig } from '../../src/config.js';
import { actorOf } from '../../src/domain/permissions.js';
import { type Deliveries, startDeliveries } from '../../src/notifications/deliveries/runtime.js';
import { applyEvent } from '../../src/workflow/apply-event.js';
import type { GuidelineCommand } from '../../src/workflow/events/index.js';
import type { EventObserver } from '../../src/workflow/observers.js';
import type { TestDatabase } from './database.js';
import type { Review } from './review.js';

// The delivery workers on a test's own database, retrying fast (real time, milliseconds apart).

export const testDeliveryConfig = (overrides: Partial<DeliveryConfig> = {}): DeliveryConfig => ({
  smtpUrl: undefined,
  mailFrom: 'Review <review@engine.test>',
  publicUrl: 'https://review.example.org',
  allowPrivateWebhooks: true,
  workersInProcess: true,
  retry: { maxAttempts: 3, baseMs: 50, maxMs: 200 },
  digestCron: '0 7 * * *',
  ...overrides,
});

export function startTestDeliveries(
  t: TestDatabase,
  config: DeliveryConfig,
  options: { runWorkers?: boolean; leaseMs?: number } = {},
): Promise<Deliveries> {
  return startDeliveries({
    config,
    database: { ...t, url: t.target.kind === 'postgres' ? t.target.url : undefined },
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    runWorkers: options.runWorkers ?? true,
    instanceName: 'test',
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
  });
}

/** An event through the engine with the given observers, as a person or the system. */
export function actObserved(
  review: Review,
  observers: readonly EventObserver[],
  guidelineId: string,
  command: GuidelineCommand,
  by: Parameters<typeof actorOf>[0],
) {
  return applyEvent(
    { db: review.db, clock: review.clock, observers },
    guidelineId,
    command,
    actorOf(by),
  );
}
