import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import type { SectionCatalogue } from '../db/sections.js';
import type { Step } from '../machines/step.js';
import type { DeliveryQueue } from '../notifications/deliveries/queue.js';
import type { StreamHub } from '../notifications/stream/hub.js';
import type { BoundedWork } from '../workflow/bounded-work.js';
import type { DossierExecutor } from '../workflow/dossier/build-jobs.js';
import type { EventObserver } from '../workflow/observers.js';
import type { TimerLoop } from '../workflow/timer-loop.js';
import type { SigningKeys } from './auth/keys.js';

// What the API is built from, made in main.ts (or a test) and handed to every route: routes depend
// on this small interface, not on the app module that assembles them all.

export interface ApiDependencies {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  keys: SigningKeys;
  jwt: Config['jwt'];
  http?: Config['http'];
  /** Section slugs as guideline views show them. */
  sections: SectionCatalogue;
  /** The process's pool for work on user text (diffs), off the event loop. */
  textWork: BoundedWork;
  /** The machine's transition: the process's stepper; XState's own transition() when none. */
  step?: Step;
  /** Told of every workflow event inside its transaction (the live stream's outbox, …). */
  observers?: readonly EventObserver[];
  /** E-mail and webhook deliveries: where replays are queued, and whether webhooks may be private. */
  deliveries?: {
    queue?: DeliveryQueue | undefined;
    allowPrivateWebhooks: boolean;
  };
  /** Deadlines and reminders: GET /clock lists what is due next, POST /clock/advance fires it. */
  timers?: TimerLoop;
  /**
   * Where dossier builds run: the durable queue in a server; without it, in this process (tests),
   * with a PDF renderer the endpoints make on first use.
   */
  dossier?: { executor: DossierExecutor; quickMs?: number };
  /** The live stream of this process; without it GET /api/v1/stream answers 503. */
  stream?: {
    hub: StreamHub;
    /** Wall-clock time for ticket expiry (never the scenario clock); the system's by default. */
    wallClock?: Clock;
  };
}
