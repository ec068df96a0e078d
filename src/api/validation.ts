import type { RequestHandler } from 'express';
import { z } from 'zod';
import { durationMs, longestOffsetMs } from '../domain/timer-plan.js';
import { BodyRefused, HttpProblem } from './problem.js';

// What no field of the API accepts, whatever its schema says: text PostgreSQL cannot store (a NUL
// byte) or that is not Unicode (a lone surrogate, which a driver would silently replace), numbers
// beyond PostgreSQL's integer range, and JSON nested deeper than any body the API takes. These are
// refused here, once for every route, before a handler or the database sees them.

const largestInteger = 2_147_483_647;
/** Deeper than any request body of the API (an anchor inside a comment is three levels). */
export const maxJsonDepth = 32;

/** With the u flag a surrogate pair is one code point, so this matches only a lone half. */
const loneSurrogate = /[\uD800-\uDFFF]/u;

/** A decimal integer in a query string or path that no column could hold. */
const outOfRangeDecimal = (text: string) =>
  /^[+-]?\d+$/.test(text) && Math.abs(Number(text)) > largestInteger;

function unsafeValue(value: unknown, inText: boolean): string | null {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return 'contains a NUL character';
    if (loneSurrogate.test(value)) return 'is not well-formed Unicode (a lone surrogate)';
    if (inText && outOfRangeDecimal(value)) return 'is beyond the range of an integer';
  }
  if (typeof value === 'number' && !(Math.abs(value) <= largestInteger)) {
    return 'is beyond the range of an integer';
  }
  return null;
}

/** The first value no schema may accept, with its path; breadth-first, so deep input cannot recurse. */
export function findUnsafeValue(
  value: unknown,
  where: string,
): { path: string; message: string } | null {
  // Path segments and query values are text: digits there are numbers a schema may coerce.
  const inText = where !== 'body';
  const queue: { value: unknown; path: string; depth: number }[] = [
    { value, path: where, depth: 0 },
  ];
  for (let item = queue.shift(); item; item = queue.shift()) {
    if (item.depth > maxJsonDepth) return { path: item.path, message: 'is nested too deeply' };
    const problem = unsafeValue(item.value, inText);
    if (problem) return { path: item.path, message: problem };
    if (item.value && typeof item.value === 'object') {
      for (const [key, child] of Object.entries(item.value)) {
        const path = `${item.path}.${key}`;
        const keyProblem = unsafeValue(key, false);
        if (keyProblem) return { path, message: `has a name that ${keyProblem.slice(3)}` };
        queue.push({ value: child, path, depth: item.depth + 1 });
      }
    }
  }
  return null;
}

/** Parses with a zod schema, or refuses with a 400 that lists every problem by its path. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
  const unsafe = findUnsafeValue(value, where);
  if (unsafe) {
    throw new HttpProblem({
      code: 'validation_failed',
      title: 'Invalid request',
      detail: `The request ${where} has a value no field accepts: ${unsafe.path} ${unsafe.message}.`,
      errors: [unsafe],
    });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpProblem({
    code: 'validation_failed',
    title: 'Invalid request',
    detail: `The request ${where} does not have the expected shape.`,
    errors: result.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  });
}

/** Bodies are JSON: anything else is refused with 415 before it is read. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new HttpProblem({
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: 'Send the request body as application/json.',
    });
  }
  next();
};

/** `true`/`false` in a query string. */
export const booleanQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

/** An opaque cursor wrapping one text key. */
export const textCursor = Object.assign(
  z.string().transform((value, ctx) => {
    const decoded = Buffer.from(value, 'base64url').toString('utf8');
    if (!decoded.startsWith('k:')) {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    }
    return decoded.slice(2);
  }),
  { encode: (key: string) => Buffer.from(`k:${key}`).toString('base64url') },
);

/**
 * The nesting depth of a JSON text, found by one pass over its bytes before it is parsed: express's
 * parser and anything that walks the result recursively would otherwise meet a body of 100 000
 * brackets. Used as express.json's `verify`.
 */
export function refuseDeepJson(_req: unknown, _res: unknown, raw: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > maxJsonDepth) {
        throw new BodyRefused({
          code: 'bad_request',
          title: 'JSON nested too deeply',
          detail: `Request bodies are nested ${maxJsonDepth} levels deep at most.`,
        });
      }
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
}

/** Years a date of this API can have: four digits, none before 1000 (PostgreSQL has no year 0). */
const sensibleYear = (date: Date) => date.getUTCFullYear() >= 1000 && date.getUTCFullYear() <= 9999;

/** An ISO 8601 instant with its offset, as a Date. */
export const instant = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v))
  .refine(sensibleYear, 'a year from 1000 to 9999');

/** An integer a PostgreSQL `integer` column holds, at least 1. */
export const positiveInteger = z.number().int().min(1).max(largestInteger);

/**
 * A quorum as a fraction of the voting strength. Stored with three decimals, so anything below
 * 0.001 would round to a quorum of zero.
 */
export const quorumFraction = z.number().gte(0.001).lte(1);

/** An opaque cursor for lists in (creation time, id) order. */
export const timeCursor = Object.assign(
  z.string().transform((value, ctx) => {
    try {
      const [createdAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [
        string,
        string,
      ];
      return z.object({ createdAt: z.iso.datetime(), id: z.uuid() }).parse({ createdAt, id });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    }
  }),
  {
    encode: (c: { createdAt: string; id: string }) =>
      Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url'),
  },
);

/** ISO 8601 durations before a deadline (P7D, PT12H): in weeks, days, hours, minutes, seconds. */
export const reminderOffsets = z
  .array(
    z
      .string()
      .max(40)
      .refine((v) => {
        const ms = durationMs(v);
        return ms !== null && ms > 0 && ms <= longestOffsetMs;
      }, 'an ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P7D or PT12H, of at most a year'),
  )
  .max(10);
