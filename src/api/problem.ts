import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { isConnectionLoss } from '../db/connection-loss.js';
import { rejectedValue } from '../db/rejected-value.js';
import { isSecondVoice } from '../db/second-voice.js';
import { UnsupportedMachineVersion } from '../machines/snapshot.js';
import { WorkOverloaded, WorkTimedOut } from '../workflow/bounded-work.js';
import {
  AnchorNotFound,
  EventForbidden,
  EventNotAllowed,
  GuidelineNotFound,
  RecordConflict,
  RecordInvalid,
  RecordNotFound,
  TallyNotPublic,
  VersionConflict,
} from '../workflow/errors.js';

// RFC 9457 problem details. Every refusal the API gives carries a stable `code` from this closed set;
// clients branch on the code, people read the title and detail.

export const problemCodes = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_allowed_now: 422,
  idempotency_key_reused: 422,
  anchor_not_found: 422,
  precondition_required: 428,
  too_many_requests: 429,
  internal_error: 500,
  not_ready: 503,
  unavailable: 503,
} as const;
export type ProblemCode = keyof typeof problemCodes;

export interface Problem {
  code: ProblemCode;
  title: string;
  detail?: string;
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'HttpProblem';
  }
  get status(): number {
    return problemCodes[this.problem.code];
  }
}

/**
 * A refusal raised inside express's body parser (its `verify` hook), which re-labels what it
 * catches: a plain error with a writable status that still carries its problem document.
 */
export class BodyRefused extends Error {
  status = 400;
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'BodyRefused';
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  const status = problemCodes[problem.code];
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      status,
      ...problem,
      instance: res.req.originalUrl,
      ...(res.req.id ? { requestId: String(res.req.id) } : {}),
    });
}

export const notFound: RequestHandler = (req) => {
  throw new HttpProblem({
    code: 'not_found',
    title: 'Not found',
    detail: `Nothing is served at ${req.method} ${req.path}.`,
  });
};

/** The engine's refusals, as a person reading the API would want them. */
function workflowProblem(error: unknown): Problem | null {
  if (error instanceof GuidelineNotFound) {
    return {
      code: 'not_found',
      title: 'Not found',
      detail: 'No guideline with that id is visible to you.',
    };
  }
  if (error instanceof VersionConflict) {
    // RFC 9110: a failed If-Match is 412. The current version lets the client reload and decide.
    // Versions start at 1: below that, no tag in the header could match (if-match.ts).
    const noVersion = error.expected < 1;
    return {
      code: 'precondition_failed',
      title: 'The guideline changed meanwhile',
      detail: noVersion
        ? `No ETag in If-Match matches the guideline strongly; it is at version ${error.actual}. Reload it and decide again.`
        : `${error.message}. Reload it and decide again.`,
      expectedVersion: noVersion ? null : error.expected,
      currentVersion: error.actual,
    };
  }
  if (error instanceof EventForbidden) {
    return {
      code: 'forbidden',
      title: 'Not yours to do',
      detail: error.reason,
      event: error.eventType,
    };
  }
  if (error instanceof EventNotAllowed) {
    return {
      code: 'not_allowed_now',
      title: 'Not allowed now',
      detail: error.reason,
      event: error.eventType,
      state: error.state,
    };
  }
  if (error instanceof AnchorNotFound) {
    return { code: 'anchor_not_found', title: 'Quoted passage not found', detail: error.reason };
  }
  if (error instanceof RecordNotFound) {
    return { code: 'not_found', title: 'Not found', detail: `There is ${error.message}.` };
  }
  if (error instanceof RecordConflict) {
    return { code: 'conflict', title: 'Conflict', detail: error.reason };
  }
  if (error instanceof RecordInvalid) {
    return {
      code: 'validation_failed',
      title: 'Invalid request',
      detail: error.reason,
      errors: [{ path: `body.${error.field}`, message: error.reason }],
    };
  }
  if (error instanceof TallyNotPublic) {
    return { code: 'forbidden', title: 'Tally not yet public', detail: error.message };
  }
  if (isSecondVoice(error)) {
    return {
      code: 'not_allowed_now',
      title: 'Not allowed now',
      detail:
        'You have already stated a position for a group in this round; one person speaks for one group per round.',
      event: 'SUBMIT_POSITION',
      state: 'consultation',
    };
  }
  if (error instanceof UnsupportedMachineVersion) {
    return { code: 'conflict', title: 'Unsupported workflow version', detail: error.message };
  }
  return null;
}

const camelCase = (column: string) =>
  column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Seconds a client should wait before retrying a request the server could not serve just now. */
const retryAfterSeconds = '2';

/** Failures of the server's means, not of the request: 503 with Retry-After, and nothing changed. */
function unavailableProblem(error: unknown): Problem | null {
  if (isConnectionLoss(error)) {
    return {
      code: 'unavailable',
      title: 'Database unavailable',
      detail:
        'The connection to the database was lost while serving this request; nothing was changed. Try again shortly.',
    };
  }
  if (error instanceof WorkOverloaded) {
    return {
      code: 'unavailable',
      title: 'Busy',
      detail: 'Too many expensive requests are waiting. Try again shortly.',
    };
  }
  if (error instanceof WorkTimedOut) {
    return {
      code: 'unavailable',
      title: 'Too much work',
      detail: `Computing the answer took longer than its limit of ${error.limitMs} ms.`,
    };
  }
  return null;
}

/** The one place errors become responses; anything unexpected is a 500 without internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HttpProblem) {
      res.set(error.headers);
      return sendProblem(res, error.problem);
    }
    if (error instanceof BodyRefused) return sendProblem(res, error.problem);
    const mapped = workflowProblem(error);
    if (mapped) {
      if (error instanceof VersionConflict) res.set('ETag', `"${error.actual}"`);
      return sendProblem(res, mapped);
    }
    const unavailable = unavailableProblem(error);
    if (unavailable) {
      logger.warn({ err: error, reqId: req.id }, unavailable.title);
      res.set('Retry-After', retryAfterSeconds);
      return sendProblem(res, unavailable);
    }
    const rejected = rejectedValue(error);
    if (rejected) {
      // Validation should have stopped it; say so in the log, and answer for the request.
      logger.warn({ err: error, reqId: req.id }, 'a value reached the database and was refused');
      // A named column or constraint is a field of a body being stored; otherwise say no more.
      const path = rejected.field ? `body.${camelCase(rejected.field)}` : 'request';
      return sendProblem(res, {
        code: 'validation_failed',
        title: 'Invalid request',
        detail: rejected.field
          ? `The value of ${path} cannot be stored.`
          : 'A value of the request is not one the database can store or compare.',
        errors: [{ path, message: 'cannot be stored' }],
      });
    }
    // body-parser's own errors: a body too large, or not JSON at all.
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      return sendProblem(res, {
        code: 'payload_too_large',
        title: 'Request body too large',
        detail: 'Request bodies are limited to 1 MiB.',
      });
    }
    if (type === 'entity.parse.failed') {
      return sendProblem(res, {
        code: 'bad_request',
        title: 'Malformed JSON',
        detail: 'The request body is not valid JSON.',
      });
    }
    if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
      return sendProblem(res, {
        code: 'unsupported_media_type',
        title: 'Unsupported media type',
        detail:
          type === 'charset.unsupported'
            ? 'Send JSON in UTF-8.'
            : 'Send the body uncompressed, or with Content-Encoding gzip, deflate or br.',
      });
    }
    // Anything else the HTTP layer refused as the client's (a path that is not valid
    // percent-encoding, a body that does not decompress, a request cut short): a 400.
    const status = (error as { status?: unknown; statusCode?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendProblem(res, {
        code:
          status === 413
            ? 'payload_too_large'
            : status === 415
              ? 'unsupported_media_type'
              : 'bad_request',
        title: 'Bad request',
        detail:
          error instanceof URIError
            ? 'The request path is not valid percent-encoded UTF-8.'
            : 'The request could not be read.',
      });
    }
    logger.error({ err: error, reqId: req.id }, 'unhandled error');
    sendProblem(res, {
      code: 'internal_error',
      title: 'Internal error',
      detail: 'The server could not complete the request. It has been logged.',
    });
  };
}
