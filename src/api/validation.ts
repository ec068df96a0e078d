import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpProblem } from './problem.js';

/** Parses with a zod schema, or refuses with a 400 that lists every problem by its path. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.infer<S> {
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

/** An ISO 8601 instant with its offset, as a Date. */
export const instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v));

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
