import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import type { z } from 'zod';
import type { CommittedEvent } from '../db/idempotency-keys.js';
import type { Account } from '../db/schema.js';
import { authenticate } from './auth/authenticate.js';
import type { ApiDependencies } from './dependencies.js';
import { idempotent } from './idempotency.js';
import { HttpProblem, type ProblemCode } from './problem.js';
import { parse, refuseDeepJson, requireJson } from './validation.js';

// One table of endpoints serves three readers: Express (the routes), the OpenAPI document, and the
// tests (the authorization matrix and response validation). A route cannot exist undocumented.

type Schema = z.ZodType;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseSpec {
  description: string;
  /** The body as JSON; omitted for responses with none. */
  schema?: Schema;
  /** For bodies that are not JSON (Mermaid text, HTML): the media type. */
  contentType?: string;
  headers?: readonly string[];
}

export interface EndpointInput<P, Q, B, Signed extends boolean> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  user: Signed extends true ? Account : undefined;
}

export interface Endpoint<
  P = Schema | undefined,
  Q = Schema | undefined,
  B = Schema | undefined,
  Signed extends boolean = boolean,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax: `/api/v1/guidelines/:id`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Whether a bearer token is required (every route but login, health and docs). */
  signedIn: Signed;
  /**
   * For a signed-in endpoint that also accepts another proof (the stream's one-use ticket): sets
   * `res.locals.user` or refuses, instead of the bearer check.
   */
  signIn?: RequestHandler;
  params?: P;
  query?: Q;
  body?: B;
  /** Request headers the endpoint reads, documented as parameters. */
  headers?: readonly ('If-Match' | 'Idempotency-Key')[];
  responses: Readonly<Record<number, ResponseSpec>>;
  /** The refusals this endpoint gives besides the ones every endpoint can (400, 401, 500). */
  problems: readonly ProblemCode[];
  handle(
    input: EndpointInput<P, Q, B, Signed>,
    req: Request,
    res: Response,
  ): Promise<unknown> | unknown;
  /**
   * For an endpoint that sends a workflow event under an Idempotency-Key: the answer a retry gets
   * when the first request committed its event but died before answering. Without it, the
   * guideline as it stands after that event (the events route's answer).
   */
  recover?(
    committed: CommittedEvent,
    input: EndpointInput<P, Q, B, Signed>,
    req: Request,
    res: Response,
  ): Promise<unknown>;
}

/** The answer to a recovered retry of an endpoint without a `recover` of its own. */
export type FallbackRecover = (
  committed: CommittedEvent,
  input: EndpointInput<unknown, unknown, unknown, true>,
  res: Response,
) => Promise<unknown>;

/** Declares an endpoint with its input types inferred from its schemas. */
export function endpoint<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  Signed extends boolean = true,
>(spec: Endpoint<P, Q, B, Signed>): Endpoint {
  return spec as unknown as Endpoint;
}

/**
 * A signed-in answer depends on who asks: shared caches must not hand it to anyone else (RFC 9111),
 * and a private cache must key it by the token. An endpoint may tighten this (no-store for secrets).
 */
const perCaller: RequestHandler = (_req, res, next) => {
  res.vary('Authorization').set('Cache-Control', 'private');
  next();
};

/** JSON bodies up to 1 MiB, their nesting depth checked on the raw bytes before they are parsed. */
const jsonBody = express.json({ limit: '1mb', verify: refuseDeepJson });

/** Mounts endpoints on a router: authenticate, idempotency, parse, then the handler. */
export function mount(
  deps: ApiDependencies,
  endpoints: readonly Endpoint[],
  fallbackRecover?: FallbackRecover,
): Router {
  const router = Router();
  const signedIn = authenticate(deps);
  for (const e of endpoints) {
    const chain: RequestHandler[] = [];
    if (e.signedIn) chain.push(perCaller, e.signIn ?? signedIn);
    // Only endpoints that take a body read one: any other request's body is never parsed.
    if (e.body) chain.push(requireJson, jsonBody);
    // Input is checked before an Idempotency-Key is claimed: a refused request is not an answer
    // to keep, and nothing of it is written.
    chain.push((req, res, next) => {
      res.locals.input = {
        params: e.params ? parse(e.params, req.params, 'path') : undefined,
        query: e.query ? parse(e.query, req.query, 'query') : undefined,
        body: e.body ? parse(e.body, req.body) : undefined,
        user: e.signedIn ? res.locals.user : undefined,
      };
      next();
    });
    if (e.headers?.includes('Idempotency-Key')) {
      chain.push(
        idempotent(deps.db, deps.logger, async (committed, req, res) => {
          const input = res.locals.input;
          if (e.recover) return e.recover(committed, input, req, res);
          if (fallbackRecover) return fallbackRecover(committed, input, res);
          throw new HttpProblem({
            code: 'conflict',
            title: 'Request already done',
            detail: 'A request with this Idempotency-Key took effect, but its answer was lost.',
          });
        }),
      );
    }
    chain.push(async (req, res) => {
      await e.handle(res.locals.input, req, res);
    });
    router[e.method](e.path, ...chain);
  }
  return router;
}

/**
 * After the endpoints: a path the table has, asked with a method it does not, is 405 with the
 * methods it does have in Allow (RFC 9110 section 15.5.6); OPTIONS answers just that list.
 */
export function methodNotAllowed(endpoints: readonly Endpoint[]): Router {
  const router = Router();
  const methods = new Map<string, Set<string>>();
  for (const e of endpoints) {
    const set = methods.get(e.path) ?? new Set<string>();
    set.add(e.method.toUpperCase());
    if (e.method === 'get') set.add('HEAD');
    methods.set(e.path, set);
  }
  for (const [path, set] of methods) {
    const allow = [...set].sort().join(', ');
    // As a pattern without captures: a segment that is not valid percent-encoding is still this
    // path (405), since nothing here decodes it.
    const pattern = new RegExp(`^${path.replace(/:\w+/g, '[^/]+').replaceAll('.', '\\.')}/?$`);
    router.all(pattern, (req, res) => {
      res.set('Allow', allow);
      if (req.method === 'OPTIONS') return void res.status(204).end();
      throw new HttpProblem({
        code: 'method_not_allowed',
        title: 'Method not allowed',
        detail: `${req.method} is not served here; ${allow} are.`,
      });
    });
  }
  return router;
}
