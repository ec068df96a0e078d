import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { DeliveryConfig } from '../src/config.js';
import type { DeliveryChannel } from '../src/db/schema.js';
import { insertSubscription } from '../src/db/webhook-subscriptions.js';
import { type Deliveries, startDeliveries } from '../src/notifications/deliveries/runtime.js';
import { newWebhookSecret } from '../src/notifications/webhooks/send.js';
import { quantile } from './api-process.js';
import type { ReceiversArrivals, ReceiversReady } from './delivery-receivers.js';
import { benchGuideline, createBenchDatabase } from './fixture.js';

// E-mail and webhook deliveries per second on PostgreSQL, to a real SMTP server and a real
// Standard Webhooks receiver in a process of their own (bench/delivery-receivers.ts).
//
// 1. Backlog: BENCH_DELIVERIES (10,000) deliveries, half e-mail and half webhook, are committed the
//    way an event commits them (notifications and their deliveries and jobs in one transaction,
//    RECIPIENTS people per transaction) with no worker running; then the workers start and the
//    clock runs until the receivers hold every message.
// 2. Live: with the workers running, notifications are committed at BENCH_RATE deliveries a second
//    for BENCH_LIVE_SECONDS; latency runs from just before COMMIT to the receiver's arrival.
//
// BENCH_BATCH and BENCH_CONCURRENCY set the workers' batch size and concurrency (startDeliveries's
// defaults otherwise). It prints figures and asserts nothing.

const total = Number(process.env.BENCH_DELIVERIES ?? 10_000);
const liveRate = Number(process.env.BENCH_RATE ?? 400);
const liveSeconds = Number(process.env.BENCH_LIVE_SECONDS ?? 10);
const batchSize = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const concurrency = process.env.BENCH_CONCURRENCY
  ? Number(process.env.BENCH_CONCURRENCY)
  : undefined;
const RECIPIENTS = 100;
const target = 500;

type Receivers = Awaited<ReturnType<typeof startReceivers>>;
type Bench = Awaited<ReturnType<typeof createBenchDatabase>>;

/** The receivers' process; `arrivals` fills with each delivery id and when it arrived. */
async function startReceivers(secret: string) {
  const child = fork(new URL('./delivery-receivers.ts', import.meta.url), [secret], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const arrivals = { email: new Map<string, number>(), webhook: new Map<string, number>() };
  let forged = 0;
  const ready = await new Promise<ReceiversReady>((resolve, reject) => {
    child.on('message', (m: ReceiversReady | ReceiversArrivals) => {
      if (m.kind === 'ready') return resolve(m);
      for (const [id, at] of m.mail) if (!arrivals.email.has(id)) arrivals.email.set(id, at);
      for (const [id, at] of m.webhook) if (!arrivals.webhook.has(id)) arrivals.webhook.set(id, at);
      forged = m.forged;
    });
    child.once('exit', (code) => reject(new Error(`the receivers exited with ${code}`)));
  });
  return {
    ...ready,
    child,
    arrivals,
    forged: () => forged,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.disconnect();
      await exited;
    },
  };
}

function config(smtpUrl: string): DeliveryConfig {
  return {
    smtpUrl,
    mailFrom: 'Review <review@bench.example>',
    publicUrl: 'https://review.example.org',
    allowPrivateWebhooks: true,
    workersInProcess: true,
    retry: { maxAttempts: 8, baseMs: 1000, maxMs: 10_000 },
    digestCron: '0 7 * * *',
  };
}

function start(bench: Bench, smtpUrl: string, runWorkers: boolean) {
  return startDeliveries({
    config: config(smtpUrl),
    database: { db: bench.db, kind: 'postgres', url: bench.url, close: async () => {} },
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }),
    runWorkers,
    instanceName: runWorkers ? 'bench-workers' : 'bench-events',
    ...(batchSize ? { batchSize } : {}),
    ...(concurrency ? { concurrency } : {}),
  });
}

/**
 * One "event": a notification for each of `people` recipients, with their deliveries and jobs, in
 * one transaction. Answers the deliveries written and the time just before COMMIT.
 */
async function commitNotifications(
  bench: Bench,
  deliveries: Deliveries,
  guidelineId: string,
  people: readonly string[],
) {
  let committing = 0;
  const ids = await bench.db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto('notifications')
      .values(
        people.map((recipient_id) => ({
          recipient_id,
          kind: 'guideline.submit',
          guideline_id: guidelineId,
          title: 'Guideline: submitted for the secretariat check',
          data: JSON.stringify({ event: 'SUBMIT', from: 'drafting', to: 'secretariat_check' }),
        })),
      )
      .returning('id')
      .execute();
    const written = await deliveries.record(
      trx,
      rows.map((r) => r.id),
    );
    committing = Date.now();
    return written;
  });
  return { ids, committedAt: committing };
}

async function channelsOf(bench: Bench, ids: readonly string[]) {
  const out = new Map<string, DeliveryChannel>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await bench.db
      .selectFrom('deliveries')
      .select(['id', 'channel'])
      .where('id', 'in', ids.slice(i, i + 5000))
      .execute();
    for (const r of rows) out.set(r.id, r.channel);
  }
  return out;
}

async function until(done: () => boolean, limitMs: number) {
  const give = performance.now() + limitMs;
  while (!done() && performance.now() < give) await new Promise((r) => setTimeout(r, 20));
  return done();
}

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

function latencies(receivers: Receivers, committed: Map<string, number>, channel: DeliveryChannel) {
  const list: number[] = [];
  for (const [id, at] of receivers.arrivals[channel]) {
    const t0 = committed.get(id);
    if (t0 !== undefined) list.push(at - t0);
  }
  return list;
}

function latencyLine(label: string, list: readonly number[]) {
  return `  ${label.padEnd(8)} commit → delivered: p50 ${fmt(quantile(list, 0.5))}, p99 ${fmt(quantile(list, 0.99))}, max ${fmt(Math.max(...list))} (${list.length} messages)`;
}

async function main() {
  const bench = await createBenchDatabase();
  const secret = newWebhookSecret(randomBytes);
  let receivers: Receivers | undefined;
  let events: Deliveries | undefined;
  let workers: Deliveries | undefined;
  try {
    const { db, secretariat } = bench;
    receivers = await startReceivers(secret);
    const guideline = await benchGuideline(bench, ['C181']);
    const people = (
      await db
        .insertInto('users')
        .values(
          Array.from({ length: RECIPIENTS }, (_, i) => ({
            email: `expert-${i}@bench.example`,
            name: `Expert ${i}`,
            role: 'expert' as const,
            group: (['government', 'employers', 'workers'] as const)[i % 3]!,
            password_hash: bench.passwordHash,
          })),
        )
        .returning('id')
        .execute()
    ).map((u) => u.id);
    await insertSubscription(db, {
      url: receivers.webhookUrl,
      events: null,
      secret,
      createdBy: secretariat.id,
      now: new Date(),
    });

    // 1. The backlog, committed with no worker running.
    events = await start(bench, receivers.smtpUrl, false);
    const committed = new Map<string, number>();
    const writeStart = performance.now();
    for (let written = 0; written < total; ) {
      const take = Math.min(RECIPIENTS, Math.ceil((total - written) / 2));
      const { ids, committedAt } = await commitNotifications(
        bench,
        events,
        guideline.id,
        people.slice(0, take),
      );
      for (const id of ids) committed.set(id, committedAt);
      written += ids.length;
    }
    const writeMs = performance.now() - writeStart;
    const backlog = [...committed.keys()];
    const channel = await channelsOf(bench, backlog);
    const expected = (c: DeliveryChannel) => backlog.filter((id) => channel.get(id) === c).length;
    const mails = expected('email');
    const hooks = expected('webhook');

    const drainStart = Date.now();
    workers = await start(bench, receivers.smtpUrl, true);
    const startupMs = Date.now() - drainStart;
    const r = receivers;
    const drained = await until(
      () => r.arrivals.email.size >= mails && r.arrivals.webhook.size >= hooks,
      10 * 60_000,
    );
    const last = (c: DeliveryChannel) => Math.max(...r.arrivals[c].values());
    const seconds = (c: DeliveryChannel) => (last(c) - drainStart) / 1000;
    const allSeconds = (Math.max(last('email'), last('webhook')) - drainStart) / 1000;
    // A batch's tries are recorded after its messages went: the rows settle a moment later.
    const countStates = () =>
      db
        .selectFrom('deliveries')
        .select(['state', db.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute();
    let states = await countStates();
    const settleUntil = performance.now() + 30_000;
    while (
      states.some((s) => s.state !== 'delivered' && s.state !== 'dead') &&
      performance.now() < settleUntil
    ) {
      await new Promise((done) => setTimeout(done, 50));
      states = await countStates();
    }
    const settledSeconds = (Date.now() - drainStart) / 1000;

    console.log(
      `deliveries: PostgreSQL ${bench.version}, workers batch ${batchSize ?? 'default (50)'}, concurrency ${concurrency ?? 'default (4)'}; receivers in their own process`,
    );
    console.log(
      `  backlog of ${backlog.length} (${mails} e-mail, ${hooks} webhook) committed in ${fmt(writeMs)} (${(backlog.length / (writeMs / 1000)).toFixed(0)}/s)${drained ? '' : ' — NOT all delivered within 10 minutes'}`,
    );
    console.log(`  workers started in ${fmt(startupMs)}; drained in ${allSeconds.toFixed(2)} s:`);
    // Both channels share the workers: each figure is its own messages over its own drain time.
    console.log(
      `  e-mail   ${(r.arrivals.email.size / seconds('email')).toFixed(0)}/s, webhook ${(r.arrivals.webhook.size / seconds('webhook')).toFixed(0)}/s, together ${((r.arrivals.email.size + r.arrivals.webhook.size) / allSeconds).toFixed(0)}/s (target ≥ ${target}/s)`,
    );
    console.log(
      `  every row settled after ${settledSeconds.toFixed(2)} s: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`,
    );

    // 2. Live: commits paced at liveRate deliveries a second while the workers run.
    committed.clear();
    const perCommit = 10;
    const commits = Math.max(1, Math.round((liveRate * liveSeconds) / (2 * perCommit)));
    const gap = (liveSeconds * 1000) / commits;
    const mailBefore = r.arrivals.email.size;
    const hookBefore = r.arrivals.webhook.size;
    const liveStart = performance.now();
    for (let n = 0; n < commits; n++) {
      const wait = liveStart + n * gap - performance.now();
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      const recipients = people.slice((n * perCommit) % RECIPIENTS).slice(0, perCommit);
      const { ids, committedAt } = await commitNotifications(
        bench,
        events,
        guideline.id,
        recipients,
      );
      for (const id of ids) committed.set(id, committedAt);
    }
    const liveMs = performance.now() - liveStart;
    await until(
      () =>
        r.arrivals.email.size - mailBefore + r.arrivals.webhook.size - hookBefore >= committed.size,
      120_000,
    );
    console.log(
      `  live: ${committed.size} deliveries committed at ${(committed.size / (liveMs / 1000)).toFixed(0)}/s, ${perCommit} notifications a commit`,
    );
    console.log(latencyLine('e-mail', latencies(r, committed, 'email')));
    console.log(latencyLine('webhook', latencies(r, committed, 'webhook')));
    console.log(`  forged signatures seen by the receiver: ${r.forged()}`);
  } finally {
    await workers?.stop();
    await events?.stop();
    await receivers?.stop();
    await bench.close();
  }
}

await main();
