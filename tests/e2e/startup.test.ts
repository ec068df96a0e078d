import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flat, pdfPages } from '../helpers/dossier-pdf.js';

// The server as a newcomer runs it: a real process on the embedded database in a data directory.

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(env: NodeJS.ProcessEnv): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before listening:\n${output}`)),
    );
  });
}

/** A data directory of the describe block's own, made before its tests and removed after. */
function freshDataDir(prefix: string): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return () => dir;
}

/** One call to the running server as a signed-in user. */
function request(
  running: Running,
  token: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${running.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function stop(running: Running): Promise<number | null> {
  const exited = once(running.child, 'exit');
  running.child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

describe('npm start on the embedded database', () => {
  let dataDir: string;
  let token: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gre-start-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('migrates, seeds, serves health and readiness, prints the demo accounts, and stops cleanly', async () => {
    const running = await start({ DATA_DIR: dataDir });
    try {
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
      expect(running.output()).toContain('secretariat@example.org');
      expect(running.output()).toContain('password: geneva2005');
      expect(running.output()).toMatch(/"outcome":"seeded"/);
      const login = await fetch(`${running.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'secretariat@example.org', password: 'geneva2005' }),
      });
      expect(login.status).toBe(200);
      token = ((await login.json()) as { token: string }).token;
      // The generated signing key stays private to the server's account.
      expect((await stat(path.join(dataDir, 'jwt-secret'))).mode & 0o777).toBe(0o600);
    } finally {
      expect(await stop(running)).toBe(0);
    }
    expect(running.output()).toMatch(/"msg":"stopped"/);
  });

  it('keeps its data across a restart and does not seed twice', async () => {
    const running = await start({ DATA_DIR: dataDir, CLOCK_START: '2005-10-03T09:00:00Z' });
    try {
      expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
      expect(running.output()).toMatch(/"outcome":"already-seeded"/);
      expect(running.output()).toMatch(/scenario clock, now 2005-10-03T09:00/);
      // The key was kept in DATA_DIR: a token from before the restart still works.
      const me = await fetch(`${running.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({
        email: 'secretariat@example.org',
        role: 'secretariat',
      });
    } finally {
      expect(await stop(running)).toBe(0);
    }
  });

  it('starts on system time with CLOCK_START=now, the 2005 story told all the same', async () => {
    const fresh = await mkdtemp(path.join(tmpdir(), 'gre-now-'));
    try {
      const running = await start({ DATA_DIR: fresh, CLOCK_START: 'now' });
      try {
        expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
        expect(running.output()).toMatch(/"outcome":"seeded"/);
        expect(running.output()).toContain('clock:    system time');
      } finally {
        expect(await stop(running)).toBe(0);
      }
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('refuses to start on a bad value, naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'postgres://127.0.0.1:1/none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(stderr).toMatch(/PORT: must be a port number/);
    expect(stderr).toMatch(/JWT_SECRET: a signing key is required with DATABASE_URL/);
  });
});

describe('the demo as a newcomer meets it', () => {
  const dataDir = freshDataDir('gre-story-');

  it('a spokesperson finds a guideline waiting; advancing the clock closes it, reminding only those who had not acted', async () => {
    const running = await start({ DATA_DIR: dataDir() });
    const api = async (token: string, method: string, route: string, body?: unknown) => {
      const res = await request(running, token, method, route, body);
      expect(res.status, `${method} ${route}`).toBe(200);
      return (await res.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
    };
    const signIn = async (email: string) => {
      const res = await fetch(`${running.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'geneva2005' }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    try {
      expect(running.output()).toMatch(/scenario clock, now 2005-10-03T09:0/);
      expect(running.output()).toContain('/api/v1/clock/advance');
      const [employers, workers, government, secretariat] = await Promise.all(
        ['emp01', 'wkr01', 'gov01']
          .map((u) => signIn(`${u}@example.org`))
          .concat(signIn('secretariat@example.org')),
      );
      const open = await api(employers!, 'GET', '/api/v1/guidelines?state=consultation');
      expect(open.items).toHaveLength(1);
      const id = String(open.items[0]!.id);
      const seen = await api(employers!, 'GET', `/api/v1/guidelines/${id}`);
      const allowed = (seen.allowedEvents as { type: string; allowed: boolean }[]).find(
        (e) => e.type === 'SUBMIT_POSITION',
      );
      expect(allowed?.allowed).toBe(true);

      const moved = await api(secretariat!, 'POST', '/api/v1/clock/advance', {
        seconds: 30 * 86_400,
      });
      const fired = (moved.fired as { guidelineId: string; kind: string; outcome: string }[])
        .filter((f) => f.guidelineId === id)
        .map((f) => [f.kind, f.outcome]);
      expect(fired).toEqual([
        ['consultation_reminder', 'reminded 2'],
        ['consultation_reminder', 'reminded 2'],
        ['consultation_deadline', 'applied: consultation → deliberation'],
      ]);
      expect((await api(employers!, 'GET', `/api/v1/guidelines/${id}`)).state).toBe('deliberation');
      const reminders = async (token: string) =>
        (await api(token, 'GET', '/api/v1/notifications?limit=200')).items.filter(
          (n) => n.kind === 'guideline.consultation_reminder',
        ).length;
      expect(await reminders(employers!)).toBe(2);
      expect(await reminders(workers!)).toBe(2);
      expect(await reminders(government!)).toBe(0);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  });
});

describe('the demo dossier as a newcomer builds it', () => {
  const dataDir = freshDataDir('gre-paper-');

  it('the secretariat includes the adopted guidelines in the 294th Session and reads its paper as a PDF', async () => {
    const running = await start({ DATA_DIR: dataDir() });
    const call = (
      token: string,
      method: string,
      route: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => request(running, token, method, route, body, headers);
    const json = async (res: Response) => {
      expect(res.status, res.url).toBeLessThan(300);
      return (await res.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
    };
    try {
      const login = await fetch(`${running.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'gb.secretariat@example.org', password: 'geneva2005' }),
      });
      const { token } = (await login.json()) as { token: string };
      const sessions = await json(await call(token, 'GET', '/api/v1/gb-sessions'));
      const session = sessions.items.find((s) => s.number === 294)!;
      expect(session.paper).toMatchObject({ symbol: 'GB.294/ESP/3' });
      const adopted = await json(await call(token, 'GET', '/api/v1/guidelines?state=adopted'));
      expect(adopted.items.length).toBeGreaterThan(0);
      for (const g of adopted.items) {
        await json(
          await call(
            token,
            'POST',
            `/api/v1/guidelines/${g.id}/events`,
            { type: 'INCLUDE_IN_SUBMISSION', gbSessionId: session.id },
            { 'if-match': `"${g.version}"` },
          ),
        );
      }
      const submitted = await json(
        await call(token, 'GET', '/api/v1/guidelines?state=submitted_to_gb'),
      );
      expect(submitted.items.length).toBeGreaterThan(adopted.items.length);

      // The build runs on the job queue; a quick one answers with the version itself.
      const built = await call(token, 'POST', `/api/v1/gb-sessions/${session.id}/dossier`, {});
      if (built.status === 202) {
        const location = built.headers.get('location')!;
        await expect
          .poll(async () => (await json(await call(token, 'GET', location))).status, {
            timeout: 60_000,
            interval: 200,
          })
          .toBe('succeeded');
      } else {
        expect(built.status).toBe(201);
      }
      const pdf = await call(token, 'GET', `/api/v1/gb-sessions/${session.id}/dossier.pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get('content-type')).toContain('application/pdf');
      const pages = await pdfPages(new Uint8Array(await pdf.arrayBuffer()));
      for (const page of pages) expect(page).toContain('GB.294/ESP/3');
      const text = flat(pages);
      for (const phrase of [
        'INTERNATIONAL LABOUR OFFICE',
        'Governing Body',
        '294th Session',
        'THIRD ITEM ON THE AGENDA',
        'COMMITTEE ON EMPLOYMENT AND SOCIAL POLICY',
        'FOR DECISION',
        'Point for decision',
        ...submitted.items.map((g) => String(g.title)),
      ]) {
        expect(text, phrase).toContain(phrase);
      }
    } finally {
      expect(await stop(running)).toBe(0);
    }
  }, 120_000);
});
