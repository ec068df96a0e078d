import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { pino } from 'pino';
import { createApp } from '../src/api/app.js';
import { hmacKeys } from '../src/api/auth/keys.js';
import { issueToken } from '../src/api/auth/tokens.js';
import { startWebServer } from '../src/api/server.js';
import { systemClock } from '../src/clock.js';
import type { Config } from '../src/config.js';
import { openDatabase } from '../src/db/connect.js';
import { sectionCatalogue } from '../src/db/sections.js';
import { inTransaction } from '../src/db/transaction.js';
import { createStreamHub } from '../src/notifications/stream/hub.js';
import { streamObserver } from '../src/notifications/stream/observer.js';
import { postgresStreamSource } from '../src/notifications/stream/sources.js';
import { boundedWork } from '../src/workflow/bounded-work.js';
import { benchGuideline, createBenchDatabase } from './fixture.js';

// Commit → SSE-client latency with STREAM_CLIENTS (1,000) readers connected over two API processes
// on one PostgreSQL. A commit is a guideline change with the stream observer in its transaction;
// latency runs from just before COMMIT is sent to the moment a client has parsed the message, so
// it includes the commit itself, the NOTIFY, each process reading the row and re-reading its
// readers, and the socket. Commits are paced (STREAM_RATE a second) to measure latency, not
// saturation. Everything listens and connects on 127.0.0.1 only.

const clients = Number(process.env.STREAM_CLIENTS ?? 1000);
const commits = Number(process.env.STREAM_COMMITS ?? 200);
const rate = Number(process.env.STREAM_RATE ?? 20);
const processes = 2;
const secret = 'bench-secret-of-at-least-thirty-two-characters';
const jwtSettings: Config['jwt'] = {
  keys: { source: 'configured', algorithm: 'HS256', secret },
  issuer: 'gre-bench',
  audience: 'gre-bench',
  ttlSeconds: 3600,
};
const keys = hmacKeys(secret);

/** One API process: the app with its own pool, hub and LISTEN connection; prints its port. */
async function serve(url: string) {
  const logger = pino({ level: 'silent' });
  const { db, close } = await openDatabase({ kind: 'postgres', url, poolSize: 10 });
  const hub = createStreamHub({
    db,
    source: postgresStreamSource(url, logger),
    logger,
    heartbeatMs: 15_000,
  });
  await hub.start();
  const app = createApp({
    db,
    clock: systemClock,
    logger,
    keys,
    jwt: jwtSettings,
    sections: sectionCatalogue(db),
    textWork: boundedWork(),
    stream: { hub },
  });
  const web = await startWebServer(app, { port: 0, host: '127.0.0.1' });
  process.stdout.write(`port ${(web.server.address() as AddressInfo).port}\n`);
  process.once('SIGTERM', async () => {
    await hub.stop();
    await web.close(1000);
    await close();
    process.exit(0);
  });
}

function startProcess(url: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/stream.ts', 'serve', url], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /port (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
  });
}

/** Opens one stream; calls `onVersion` with each guideline message's version. */
function openStream(port: number, token: string, onVersion: (version: number) => void) {
  return new Promise<http.ClientRequest>((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/stream',
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let at = buffer.indexOf('\n\n');
          while (at >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            if (block.includes(': connected')) resolve(req);
            const data = /^data: (.*)$/m.exec(block);
            if (data?.[1] && block.includes('event: guideline')) {
              onVersion((JSON.parse(data[1]) as { version: number }).version);
            }
            at = buffer.indexOf('\n\n');
          }
        });
      },
    );
    req.on('error', reject);
  });
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function main() {
  const bench = await createBenchDatabase();
  const children: ChildProcess[] = [];
  try {
    const { db, clock, owner } = bench;
    const guideline = await benchGuideline(bench, []);
    const readers = await db
      .insertInto('users')
      .values(
        Array.from({ length: clients }, (_, i) => ({
          email: `reader-${i}@bench.example`,
          name: `Reader ${i}`,
          role: 'secretariat' as const,
          password_hash: bench.passwordHash,
        })),
      )
      .returning('id')
      .execute();

    const ports: number[] = [];
    for (let i = 0; i < processes; i++) {
      const started = await startProcess(bench.url);
      children.push(started.child);
      ports.push(started.port);
    }

    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    const opened: http.ClientRequest[] = [];
    const connectStart = performance.now();
    for (let i = 0; i < readers.length; i += 50) {
      const batch = readers.slice(i, i + 50);
      opened.push(
        ...(await Promise.all(
          batch.map((reader, j) =>
            openStream(
              ports[(i + j) % processes]!,
              issueToken(keys, jwtSettings, reader.id),
              (v) => {
                const t0 = sentAt.get(v);
                if (t0 !== undefined) latencies.push(performance.now() - t0);
              },
            ),
          ),
        )),
      );
    }
    const connectMs = performance.now() - connectStart;

    const observer = streamObserver();
    const gap = 1000 / rate;
    const runStart = performance.now();
    for (let n = 0; n < commits; n++) {
      const due = runStart + n * gap;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await inTransaction(db, async (trx) => {
        const row = await sql<{ version: number }>`
          update guidelines set version = version + 1, updated_at = now()
          where id = ${guideline.id}::uuid returning version
        `.execute(trx);
        const version = Number(row.rows[0]!.version);
        await observer.written(trx, {
          guidelineId: guideline.id,
          type: 'SUBMIT',
          fromState: 'drafting',
          toState: 'drafting',
          version,
          round: 0,
          stateValue: 'drafting',
          ownerId: owner.id,
          consultedRound: 0,
          meetingId: null,
          gbSessionId: null,
          actorId: owner.id,
          occurredAt: clock.now(),
          notificationIds: [],
        });
        sentAt.set(version, performance.now());
      });
    }
    const expected = commits * clients;
    const settleUntil = performance.now() + 10_000;
    while (latencies.length < expected && performance.now() < settleUntil) {
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const req of opened) req.destroy();

    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `stream: ${clients} SSE clients over ${processes} API processes on PostgreSQL ${bench.version}, ${commits} commits at ${rate}/s`,
    );
    console.log(`  connected all clients in ${fmt(connectMs)}`);
    console.log(`  delivered ${latencies.length} of ${expected} messages`);
    console.log(
      `  commit → client latency: p50 ${fmt(percentile(sorted, 50))}, p90 ${fmt(percentile(sorted, 90))}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(sorted.at(-1) ?? Number.NaN)} (target p99 < 100 ms)`,
    );
  } finally {
    for (const child of children) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await bench.close();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!);
else await main();
