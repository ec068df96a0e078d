import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { call, startApi } from '../helpers/api.js';

// `npm run user:create` as an operator runs it on a new installation: the password on standard input.

function userCreate(args: string[], password: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/user-create.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stdin.end(`${password}\n`);
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run user:create', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'gre-user-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('makes a secretariat account that signs in and manages users, and refuses bad input changing nothing', async () => {
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    const short = await userCreate(['--email', 'head@example.org', '--name', 'Head'], 'short', env);
    expect(short.code).toBe(64);
    expect(short.output).toContain('password: at least 10 characters');

    const made = await userCreate(
      ['--email', 'Head@Example.org', '--name', 'Head of the Secretariat'],
      'a long enough password',
      env,
    );
    expect(made.output).toContain('created secretariat head@example.org');
    expect(made.code).toBe(0);

    const again = await userCreate(
      ['--email', 'head@example.org', '--name', 'Twice'],
      'a long enough password',
      env,
    );
    expect(again.code).toBe(64);
    expect(again.output).toContain('already an account');

    const database = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') });
    const api = await startApi(database.db);
    try {
      const users = await database.db.selectFrom('users').select(['email', 'role']).execute();
      expect(users).toEqual([{ email: 'head@example.org', role: 'secretariat' }]);
      const login = await call(api, 'POST', '/api/v1/auth/login', {
        body: { email: 'head@example.org', password: 'a long enough password' },
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const list = await call(api, 'GET', '/api/v1/users', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(list.status).toBe(200);
    } finally {
      await api.close();
      await database.close();
    }
  });
});
