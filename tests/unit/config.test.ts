import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadToolConfig } from '../../src/config.js';

function problemsOf(env: NodeJS.ProcessEnv) {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

const pem = (type: 'rsa' | 'ec') => {
  const pair =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    JWT_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    JWT_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

describe('configuration', () => {
  it('starts the demo on the embedded database with documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: path.resolve('.data', 'pgdata') });
    expect(config.demoPassword).toBe('geneva2005');
    // The demo's scenario clock, early October 2005 (issue 12: it was system time before).
    expect(config.clockStart?.toISOString()).toBe('2005-10-03T09:00:00.000Z');
    expect(config.jwt).toMatchObject({
      keys: { source: 'generated-in-data-dir' },
      issuer: 'guideline-review-engine',
      audience: 'guideline-review-engine',
    });
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/x' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('names every variable that is wrong, not just the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      CLOCK_START: 'early October',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual(['CLOCK_START', 'LOG_LEVEL', 'PORT']);
    expect(problems.find((p) => p.variable === 'CLOCK_START')?.message).toMatch(/ISO 8601/);
  });

  it('refuses a port out of range and a database URL that is not PostgreSQL', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatchObject({ variable: 'PORT' });
    expect(
      problemsOf({ DATABASE_URL: 'mysql://db/x', JWT_SECRET: 'x'.repeat(32) })[0],
    ).toMatchObject({
      variable: 'DATABASE_URL',
    });
  });

  it('requires a signing key with DATABASE_URL, and a strong one', () => {
    const [missing] = problemsOf({ DATABASE_URL: 'postgres://localhost/gre' });
    expect(missing).toMatchObject({ variable: 'JWT_SECRET' });
    expect(missing?.message).toMatch(/required with DATABASE_URL/);
    expect(problemsOf({ JWT_SECRET: 'short' })[0]?.variable).toBe('JWT_SECRET');
    const config = loadConfig({
      DATABASE_URL: 'postgres://localhost/gre',
      JWT_SECRET: 's'.repeat(40),
      DATABASE_POOL_SIZE: '24',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://localhost/gre',
      poolSize: 24,
    });
    expect(config.jwt.keys).toMatchObject({ algorithm: 'HS256' });
  });

  it('pins RS256 or ES256 from the kind of key pair given', () => {
    expect(loadConfig(pem('rsa')).jwt.keys).toMatchObject({ algorithm: 'RS256' });
    const ec = pem('ec');
    expect(loadConfig(ec).jwt.keys).toMatchObject({ algorithm: 'ES256' });
    // PEM text passed with escaped newlines, as many deployment tools do.
    expect(
      loadConfig({
        JWT_PRIVATE_KEY: ec.JWT_PRIVATE_KEY.replaceAll('\n', '\\n'),
        JWT_PUBLIC_KEY: ec.JWT_PUBLIC_KEY.replaceAll('\n', '\\n'),
      }).jwt.keys,
    ).toMatchObject({ algorithm: 'ES256' });
  });

  it('refuses half a key pair, mismatched kinds, or a secret as well as keys', () => {
    const rsa = pem('rsa');
    expect(problemsOf({ JWT_PRIVATE_KEY: rsa.JWT_PRIVATE_KEY })[0]?.variable).toBe(
      'JWT_PUBLIC_KEY',
    );
    expect(
      problemsOf({
        JWT_PRIVATE_KEY: rsa.JWT_PRIVATE_KEY,
        JWT_PUBLIC_KEY: pem('ec').JWT_PUBLIC_KEY,
      })[0]?.variable,
    ).toBe('JWT_PUBLIC_KEY');
    expect(problemsOf({ ...rsa, JWT_SECRET: 'x'.repeat(32) })[0]?.variable).toBe('JWT_SECRET');
    expect(
      problemsOf({ JWT_PRIVATE_KEY: 'not a key', JWT_PUBLIC_KEY: 'nor this' })[0]?.variable,
    ).toBe('JWT_PRIVATE_KEY');
  });

  it('reads CLOCK_START as an instant', () => {
    expect(loadConfig({ CLOCK_START: '2005-10-03T09:00:00+02:00' }).clockStart?.toISOString()).toBe(
      '2005-10-03T07:00:00.000Z',
    );
  });

  it('runs on system time with CLOCK_START=now, and on PostgreSQL unless a start is given', () => {
    expect(loadConfig({ CLOCK_START: 'now' }).clockStart).toBeUndefined();
    const pg = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
    };
    expect(loadConfig(pg).clockStart).toBeUndefined();
    expect(loadConfig({ ...pg, CLOCK_START: '2005-10-03T09:00:00Z' }).clockStart).toEqual(
      new Date('2005-10-03T09:00:00Z'),
    );
    expect(() => loadConfig({ CLOCK_START: 'yesterday' })).toThrow(/CLOCK_START/);
  });

  it('sends no CORS headers and trusts no proxy unless told, and reads both when given', () => {
    expect(loadConfig({}).http).toEqual({ corsOrigins: [], trustProxy: false });
    const config = loadConfig({
      CORS_ORIGINS: 'https://app.example.org, http://localhost:5173',
      TRUST_PROXY: '1',
    });
    expect(config.http).toEqual({
      corsOrigins: ['https://app.example.org', 'http://localhost:5173'],
      trustProxy: 1,
    });
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).http.trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(problemsOf({ CORS_ORIGINS: 'app.example.org/path', TRUST_PROXY: 'everyone' })).toEqual([
      { variable: 'CORS_ORIGINS', message: expect.stringContaining('origins') },
      { variable: 'TRUST_PROXY', message: expect.stringContaining('proxies') },
    ]);
  });

  it('lets the command-line tools reach PostgreSQL without the signing key the server needs', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/gre';
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(ConfigError);
    expect(loadToolConfig({ DATABASE_URL: url }).database).toEqual({
      kind: 'postgres',
      url,
      poolSize: 10,
    });
  });
});
