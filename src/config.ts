import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

// Configuration is read once from the environment, checked as a whole, and frozen. A bad value stops
// start-up with a message naming every variable that is wrong, not just the first.

export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** Every demo account's password unless DEMO_PASSWORD says otherwise. */
export const demoPasswordDefault = 'geneva2005';
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalText = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v ? v : undefined));

const environmentSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(3000),
  HOST: optionalText,
  DATA_DIR: optionalText,
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'must be a number of connections' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(10),
  CLOCK_START: optionalText.pipe(
    z
      .union([
        z.literal('now'),
        z.iso.datetime({
          offset: true,
          message: 'must be an ISO 8601 date-time, e.g. 2005-10-03T09:00:00Z, or now',
        }),
      ])
      .optional(),
  ),
  DEMO_PASSWORD: optionalText.pipe(
    z.string().min(8, 'must be at least 8 characters').default(demoPasswordDefault),
  ),
  JWT_SECRET: optionalText.pipe(
    z.string().min(32, 'must be at least 32 characters (use a random value)').optional(),
  ),
  JWT_PRIVATE_KEY: optionalText,
  JWT_PUBLIC_KEY: optionalText,
  JWT_ISSUER: optionalText.pipe(z.string().default('guideline-review-engine')),
  JWT_AUDIENCE: optionalText.pipe(z.string().default('guideline-review-engine')),
  JWT_TTL_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(60, 'must be at least 60 seconds')
    .max(7 * 24 * 3600, 'must be at most 7 days')
    .default(8 * 3600),
  STREAM_HEARTBEAT_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0.01, 'must be more than 0 seconds')
    .max(300, 'must be at most 300 seconds')
    .default(15),
  SMTP_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^smtps?:\/\/[^/\s]+/,
        'must be an smtp:// or smtps:// URL, e.g. smtp://mail.example.org:587',
      )
      .optional(),
  ),
  MAIL_FROM: optionalText.pipe(
    z
      .string()
      .regex(
        /^([^<>]*<)?[^@\s<>]+@[^@\s<>]+>?$/,
        'must be an address, e.g. "Review <review@example.org>"',
      )
      .default('Guideline Review Engine <no-reply@localhost>'),
  ),
  PUBLIC_URL: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^/\s]+/, 'must be an http(s) URL')
      .optional(),
  ),
  WEBHOOK_ALLOW_PRIVATE: optionalText.pipe(
    z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  ),
  DELIVERY_WORKERS: optionalText.pipe(
    z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
  ),
  DELIVERY_MAX_ATTEMPTS: z.coerce
    .number({ error: 'must be a number of tries' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(50, 'must be at most 50')
    .default(8),
  DELIVERY_RETRY_BASE_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0.01, 'must be more than 0 seconds')
    .max(3600, 'must be at most 3600 seconds')
    .default(30),
  DELIVERY_RETRY_MAX_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .min(0.01, 'must be more than 0 seconds')
    .max(7 * 24 * 3600, 'must be at most 7 days')
    .default(6 * 3600),
  DIGEST_CRON: optionalText.pipe(
    z
      .string()
      .regex(/^\S+( \S+){4,5}$/, 'must be a cron expression, e.g. "0 7 * * *"')
      .default('0 7 * * *'),
  ),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).default('info'),
  CORS_ORIGINS: optionalText.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^(\*|https?:\/\/[^/\s]+)$/,
              'must be * or origins such as https://app.example.org',
            ),
        ),
      )
      .default([]),
  ),
  TRUST_PROXY: optionalText.pipe(
    z
      .string()
      .regex(
        /^(\d+|loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:/]+))*$/,
        'must be a number of proxies, or addresses/subnets such as loopback, 10.0.0.0/8',
      )
      .optional(),
  ),
});

export type JwtKeys =
  | { source: 'configured'; algorithm: 'HS256'; secret: string }
  | {
      source: 'configured';
      algorithm: 'RS256' | 'ES256';
      privateKey: KeyObject;
      publicKey: KeyObject;
    }
  /** Only for the embedded demo: a key is generated and kept in DATA_DIR. */
  | { source: 'generated-in-data-dir' };

export interface Config {
  readonly port: number;
  readonly host: string | undefined;
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number }
    | { readonly kind: 'pglite'; readonly dataDir: string };
  readonly clockStart: Date | undefined;
  /** CLOCK_START unset (not `now`): a scenario clock the database already holds is followed. */
  readonly clockFollowsStored: boolean;
  readonly demoPassword: string;
  readonly jwt: {
    readonly keys: JwtKeys;
    readonly issuer: string;
    readonly audience: string;
    readonly ttlSeconds: number;
  };
  readonly logLevel: (typeof logLevels)[number];
  readonly http: {
    /** Origins allowed to call the API from a browser; empty means no CORS headers at all. */
    readonly corsOrigins: readonly string[];
    /** Express's `trust proxy`: which proxies' X-Forwarded-For to believe (none by default). */
    readonly trustProxy: number | string | false;
  };
  readonly stream: {
    /** How often an open live stream gets a comment line (and its reader is re-checked). */
    readonly heartbeatMs: number;
  };
  readonly deliveries: DeliveryConfig;
}

export interface DeliveryConfig {
  /** Without it there is no e-mail channel: no e-mail deliveries are written. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Links in messages start here. */
  readonly publicUrl: string | undefined;
  /** Webhooks to loopback and private addresses; the embedded demo allows them unless told not to. */
  readonly allowPrivateWebhooks: boolean;
  /** Whether this process runs the delivery workers (npm run worker runs them alone). */
  readonly workersInProcess: boolean;
  readonly retry: { readonly maxAttempts: number; readonly baseMs: number; readonly maxMs: number };
  readonly digestCron: string;
}

type Problems = { variable: string; message: string }[];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const { parsed, problems } = parseEnvironment(env);
  // Key checks run even when other values are bad, so one start names every mistake.
  const keys = jwtKeys(env, problems);
  if (!parsed.success || !keys) throw new ConfigError(problems);

  const e = parsed.data;
  return deepFreeze({
    ...toolConfig(e),
    port: e.PORT,
    host: e.HOST,
    jwt: { keys, issuer: e.JWT_ISSUER, audience: e.JWT_AUDIENCE, ttlSeconds: e.JWT_TTL_SECONDS },
    http: { corsOrigins: e.CORS_ORIGINS, trustProxy: trustProxy(e.TRUST_PROXY) },
    stream: { heartbeatMs: Math.round(e.STREAM_HEARTBEAT_SECONDS * 1000) },
  });
}

function deliveryConfig(e: z.output<typeof environmentSchema>): DeliveryConfig {
  return {
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL,
    allowPrivateWebhooks: e.WEBHOOK_ALLOW_PRIVATE
      ? e.WEBHOOK_ALLOW_PRIVATE === 'true'
      : !e.DATABASE_URL,
    workersInProcess: e.DELIVERY_WORKERS === 'true',
    retry: {
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      baseMs: Math.round(e.DELIVERY_RETRY_BASE_SECONDS * 1000),
      maxMs: Math.round(e.DELIVERY_RETRY_MAX_SECONDS * 1000),
    },
    digestCron: e.DIGEST_CRON,
  };
}

/** What the command-line tools need: the database, not the server's signing keys. */
export type ToolConfig = Pick<
  Config,
  | 'dataDir'
  | 'database'
  | 'clockStart'
  | 'clockFollowsStored'
  | 'demoPassword'
  | 'logLevel'
  | 'deliveries'
>;

export function loadToolConfig(env: NodeJS.ProcessEnv = process.env): ToolConfig {
  const { parsed, problems } = parseEnvironment(env);
  if (!parsed.success) throw new ConfigError(problems);
  return deepFreeze(toolConfig(parsed.data));
}

function parseEnvironment(env: NodeJS.ProcessEnv) {
  const parsed = environmentSchema.safeParse(env);
  const problems: Problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        message: issue.message,
      }));
  return { parsed, problems };
}

function toolConfig(e: z.output<typeof environmentSchema>): ToolConfig {
  const dataDir = path.resolve(e.DATA_DIR ?? '.data');
  return {
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, poolSize: e.DATABASE_POOL_SIZE }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pgdata') },
    clockStart: clockStart(e.CLOCK_START, !e.DATABASE_URL),
    clockFollowsStored: e.CLOCK_START === undefined,
    demoPassword: e.DEMO_PASSWORD,
    logLevel: e.LOG_LEVEL,
    deliveries: deliveryConfig(e),
  };
}

/** The embedded demo starts before the 2005 meeting unless told otherwise (SPEC section 5). */
export const demoClockStart = '2005-10-03T09:00:00Z';

/** A scenario clock's start, or undefined for system time (`now`, or unset on PostgreSQL). */
function clockStart(value: string | undefined, embedded: boolean): Date | undefined {
  if (value === 'now') return undefined;
  if (value) return new Date(value);
  return embedded ? new Date(demoClockStart) : undefined;
}

function trustProxy(value: string | undefined): number | string | false {
  if (!value) return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function jwtKeys(env: NodeJS.ProcessEnv, problems: Problems): JwtKeys | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  const secret = value('JWT_SECRET');
  const privatePem = value('JWT_PRIVATE_KEY');
  const publicPem = value('JWT_PUBLIC_KEY');
  const before = problems.length;
  if (secret && (privatePem || publicPem)) {
    problems.push({
      variable: 'JWT_SECRET',
      message: 'set either JWT_SECRET or JWT_PRIVATE_KEY/JWT_PUBLIC_KEY, not both',
    });
  }
  if (!!privatePem !== !!publicPem) {
    problems.push({
      variable: privatePem ? 'JWT_PUBLIC_KEY' : 'JWT_PRIVATE_KEY',
      message: 'JWT_PRIVATE_KEY and JWT_PUBLIC_KEY go together',
    });
  }
  if (problems.length > before) return undefined;

  // A short JWT_SECRET is already reported by the schema.
  if (secret)
    return secret.length >= 32 ? { source: 'configured', algorithm: 'HS256', secret } : undefined;
  if (privatePem && publicPem) return asymmetricKeys(privatePem, publicPem, problems);
  if (value('DATABASE_URL')) {
    problems.push({
      variable: 'JWT_SECRET',
      message:
        'a signing key is required with DATABASE_URL: set JWT_SECRET, or JWT_PRIVATE_KEY and JWT_PUBLIC_KEY',
    });
    return undefined;
  }
  return { source: 'generated-in-data-dir' };
}

function asymmetricKeys(
  privatePem: string,
  publicPem: string,
  problems: Problems,
): JwtKeys | undefined {
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject | undefined;
  try {
    privateKey = createPrivateKey(pem(privatePem));
  } catch {
    problems.push({ variable: 'JWT_PRIVATE_KEY', message: 'is not a PEM private key' });
  }
  try {
    publicKey = createPublicKey(pem(publicPem));
  } catch {
    problems.push({ variable: 'JWT_PUBLIC_KEY', message: 'is not a PEM public key' });
  }
  if (!privateKey || !publicKey) return undefined;
  const type = privateKey.asymmetricKeyType;
  const curve = privateKey.asymmetricKeyDetails?.namedCurve;
  const algorithm =
    type === 'rsa' ? 'RS256' : type === 'ec' && curve === 'prime256v1' ? 'ES256' : null;
  if (!algorithm) {
    problems.push({
      variable: 'JWT_PRIVATE_KEY',
      message: 'must be an RSA key (RS256) or a P-256 EC key (ES256)',
    });
    return undefined;
  }
  if (publicKey.asymmetricKeyType !== type) {
    problems.push({
      variable: 'JWT_PUBLIC_KEY',
      message: 'is not the same kind of key as JWT_PRIVATE_KEY',
    });
    return undefined;
  }
  return { source: 'configured', algorithm, privateKey, publicKey };
}

/** Environment variables often carry PEM text with literal "\n" sequences. */
function pem(value: string): string {
  return value.includes('\\n') ? value.replaceAll('\\n', '\n') : value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    // KeyObjects are opaque handles; freezing them is harmless but their internals are not ours.
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
