import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScenarioClock } from '../../src/clock.js';
import { seedDemo } from '../../src/workflow/seed-demo.js';
import { freshDatabase, onPostgres, type TestDatabase } from '../helpers/database.js';
import {
  killAllServers,
  killHard,
  type ServerProcess,
  startServer,
} from '../helpers/server-process.js';
import { type SmtpReceiver, startSmtpReceiver } from '../helpers/smtp.js';

// kill -9 between commit and delivery (issue 12): the real server commits an event whose e-mails
// the SMTP server refuses (451, "down"), is killed without any shutdown, and is started again on the
// same database once mail is accepted. A crash delays a message, never loses it (SPEC section 5).
// On PostgreSQL the server runs on a fresh database of its own; on PGlite on a fresh DATA_DIR.

const password = 'crash-recovery-password';
const mailDomain = 'crash.test';
// The demo scenario happens before the meeting's deadlines; e-mail runs on real time regardless.
const scenarioStart = '2005-10-03T09:00:00Z';

let smtp: SmtpReceiver;
let env: Record<string, string>;
let t: TestDatabase | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  smtp = await startSmtpReceiver();
  const common = {
    SMTP_URL: smtp.url,
    MAIL_FROM: `Review <review@${mailDomain}>`,
    DEMO_PASSWORD: password,
    CLOCK_START: scenarioStart,
    JWT_SECRET: 'crash-recovery-secret-of-at-least-32-characters',
    // Retries a second or two apart, and enough of them that none dies during the outage.
    DELIVERY_RETRY_BASE_SECONDS: '1',
    DELIVERY_RETRY_MAX_SECONDS: '2',
    DELIVERY_MAX_ATTEMPTS: '50',
  };
  if (onPostgres) {
    // PostgreSQL never seeds itself: the demo accounts go in before the server starts.
    t = await freshDatabase();
    await seedDemo(t.db, new ScenarioClock(new Date(scenarioStart)), { password });
    env = { ...common, DATABASE_URL: t.target.kind === 'postgres' ? t.target.url : '' };
  } else {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gre-crash-'));
    env = { ...common, DATA_DIR: dataDir };
  }
});

afterAll(async () => {
  await killAllServers();
  await smtp?.close();
  await t?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function call(
  server: ServerProcess,
  method: string,
  route: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await fetch(`${server.url}${route}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the answers' fields as it needs them
  return { status: response.status, body: text ? (JSON.parse(text) as any) : null };
}

async function signIn(server: ServerProcess, email: string): Promise<string> {
  const login = await call(server, 'POST', '/api/v1/auth/login', { body: { email, password } });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return login.body.token as string;
}

interface EmailDelivery {
  id: string;
  state: string;
  attempts: number;
  kind: string | null;
}

/** The e-mail deliveries of SUBMIT, as the secretariat lists them. */
async function submitEmails(server: ServerProcess, token: string): Promise<EmailDelivery[]> {
  const page = await call(server, 'GET', '/api/v1/deliveries?channel=email&limit=200', { token });
  expect(page.status).toBe(200);
  return (page.body.items as EmailDelivery[]).filter((d) => d.kind === 'guideline.submit');
}

const messageIdOf = (deliveryId: string) => `<${deliveryId}@${mailDomain}>`;

describe('a server killed with kill -9 between commit and delivery', () => {
  it('sends every e-mail of the committed event after it starts again on the same database', async () => {
    smtp.refuseNext(Number.POSITIVE_INFINITY);
    const first = await startServer(env);
    const drafter = await signIn(first, 'drafter1@example.org');
    const staff = await signIn(first, 'secretariat@example.org');
    const created = await call(first, 'POST', '/api/v1/guidelines', {
      token: drafter,
      body: {
        title: 'Recovery of recruitment fees',
        section: 'protection',
        text: 'Workers who paid recruitment fees should have them refunded.',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // SUBMIT tells every secretariat account by e-mail.
    const submitted = await call(first, 'POST', `/api/v1/guidelines/${created.body.id}/events`, {
      token: drafter,
      headers: { 'if-match': '*' },
      body: { type: 'SUBMIT' },
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);

    // Committed and tried, but refused: every message is waiting for its next try.
    await expect
      .poll(
        async () => {
          const rows = await submitEmails(first, staff);
          return rows.length > 0 && rows.every((d) => d.state === 'failed' && d.attempts >= 1);
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe(true);
    const waiting = await submitEmails(first, staff);
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    for (const d of waiting) expect(smtp.refused).toContain(messageIdOf(d.id));
    expect(smtp.received).toHaveLength(0);

    expect(await killHard(first)).toBe('SIGKILL');
    smtp.refuseNext(0);
    const second = await startServer(env);

    // Every message arrives, with the delivery's id as its Message-ID, and the rows say so.
    const ids = waiting.map((d) => messageIdOf(d.id)).sort();
    await expect
      .poll(() => [...new Set(smtp.received.map((m) => m.messageId))].sort(), {
        timeout: 180_000,
        interval: 200,
      })
      .toEqual(ids);
    const token = await signIn(second, 'secretariat@example.org');
    await expect
      .poll(async () => (await submitEmails(second, token)).map((d) => [d.id, d.state]).sort(), {
        timeout: 60_000,
        interval: 200,
      })
      .toEqual(waiting.map((d) => [d.id, 'delivered']).sort());
    for (const mail of smtp.received) expect(mail.to).toHaveLength(1);
  }, 360_000);

  it('fires after the start a deadline that fell due while it was down', async () => {
    await killAllServers();
    const first = await startServer(env);
    const staff = await signIn(first, 'secretariat@example.org');
    const open = await call(first, 'GET', '/api/v1/guidelines?state=consultation', {
      token: staff,
    });
    const guideline = open.body.items[0] as { id: string; meetingId: string };
    expect(guideline).toBeDefined();
    // The deadline moves to a few seconds from the scenario's now: its timer is rewritten.
    const clock = await call(first, 'GET', '/api/v1/clock', { token: staff });
    const deadline = new Date(new Date(clock.body.now).getTime() + 2_000).toISOString();
    const moved = await call(first, 'PATCH', `/api/v1/meetings/${guideline.meetingId}`, {
      token: staff,
      body: { consultationDeadline: deadline },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const upcoming = await call(first, 'GET', '/api/v1/clock', { token: staff });
    expect(upcoming.body.upcoming).toContainEqual(
      expect.objectContaining({ kind: 'consultation_deadline', guidelineId: guideline.id }),
    );
    // Killed before the deadline; it passes while the server is down.
    expect(await killHard(first)).toBe('SIGKILL');
    const second = await startServer(env);
    const token = await signIn(second, 'secretariat@example.org');
    await expect
      .poll(
        async () =>
          (await call(second, 'GET', `/api/v1/guidelines/${guideline.id}`, { token })).body.state,
        { timeout: 120_000, interval: 250 },
      )
      .toBe('deliberation');
  }, 240_000);
});
