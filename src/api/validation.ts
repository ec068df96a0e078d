import type { RequestHandler } from 'express';
import type { z } from 'zod';
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
