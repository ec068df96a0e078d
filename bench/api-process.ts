import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The real server (`src/main.ts`) in a process of its own, as the benchmarks drive it over HTTP.

export interface ApiProcess {
  child: ChildProcess;
  base: string;
  agent: http.Agent;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server on `databaseUrl` and waits until it is ready. */
export async function startApiProcess(
  databaseUrl: string,
  options: { sockets: number; profile?: boolean; poolSize?: number },
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir=/tmp/gre-profile'] : []),
      '--import',
      'tsx',
      'src/main.ts',
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_SIZE: String(options.poolSize ?? 20),
        JWT_SECRET: 'bench-secret-of-at-least-thirty-two-characters',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      },
      // The server logs every request, as in production; the log goes nowhere here.
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const api = {
    child,
    base: `http://127.0.0.1:${port}`,
    agent: new http.Agent({ keepAlive: true, maxSockets: options.sockets }),
  };
  for (let tries = 0; ; tries++) {
    const ready = await request(api, 'GET', '/readyz', {}).catch(() => null);
    if (ready?.status === 200) return api;
    if (tries > 300) throw new Error('the server did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopApiProcess(api: ApiProcess): Promise<void> {
  api.agent.destroy();
  api.child.kill('SIGTERM');
  await new Promise((r) => api.child.once('exit', r));
}

export function request(
  api: ApiProcess,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        `${api.base}${path}`,
        {
          method,
          agent: api.agent,
          headers: {
            ...headers,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
          );
        },
      );
      req.on('error', reject);
      req.end(payload);
    },
  );
}

/** A bearer token, signed in once through the API. */
export async function tokenOf(api: ApiProcess, email: string, password: string): Promise<string> {
  const answer = await request(api, 'POST', '/api/v1/auth/login', {}, { email, password });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.body}`);
  return `Bearer ${(JSON.parse(answer.body) as { token: string }).token}`;
}

/** CPU seconds the whole machine has been busy so far, over all cores (Linux /proc/stat). */
export function machineBusySeconds(): number {
  const [, ...fields] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (
    ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100
  );
}

/** CPU seconds the API processes have used so far (Linux /proc). */
export function cpuSeconds(apis: readonly ApiProcess[]): number {
  return apis.reduce((sum, api) => {
    const fields =
      readFileSync(`/proc/${api.child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return sum + (Number(fields[11]) + Number(fields[12])) / 100;
  }, 0);
}

/** The q-quantile of a list of latencies. */
export function quantile(latencies: readonly number[], q: number): number {
  const sorted = Float64Array.from(latencies).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}
