import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import {
  type CommittedEvent,
  claimKey,
  completeKey,
  type KeyClaim,
  recordCommittedEvent,
  releaseKey,
} from '../db/idempotency-keys.js';
import type { Database } from '../db/schema.js';
import type { EventObserver } from '../workflow/observers.js';
import { HttpProblem } from './problem.js';

/** The claim of the request being served, for the observer that runs inside its event's transaction. */
const currentClaim = new AsyncLocalStorage<Pick<KeyClaim, 'userId' | 'key'>>();

/**
 * Told of every workflow event inside its transaction: when the event was sent by a request with
 * an Idempotency-Key, the key records it, so a retry after the request died answers from it.
 */
export const idempotentOutcomeObserver: EventObserver = {
  async written(trx, event) {
    const claim = currentClaim.getStore();
    if (!claim || claim.userId !== event.actorId) return;
    await recordCommittedEvent(trx, claim, {
      guidelineId: event.guidelineId,
      version: event.version,
    });
  },
};

/** Answers a retry whose first request committed its event but died before it answered. */
export type RecoverAnswer = (
  committed: CommittedEvent,
  req: Request,
  res: Response,
) => Promise<unknown>;

/** Answer headers worth replaying: the rest are recomputed per response. */
const replayedHeaders = ['etag', 'location', 'content-type', 'retry-after'] as const;

/** Marks text to write as it is, on the stack of `requestHash`. */
class Literal {
  constructor(readonly text: string) {}
}

/**
 * SHA-256 of the canonical JSON of a parsed body (as `canonicalJson` writes it: keys sorted, no
 * white space), written with an explicit stack rather than recursion, so a deeply nested body costs
 * memory in proportion to its size and never overflows the call stack.
 */
export function requestHash(body: unknown): string {
  const hash = createHash('sha256');
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof Literal) hash.update(item.text);
    else if (item === null || typeof item !== 'object') hash.update(JSON.stringify(item) ?? 'null');
    else if (Array.isArray(item)) {
      stack.push(new Literal(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i] === undefined ? null : item[i]);
        if (i > 0) stack.push(new Literal(','));
      }
      stack.push(new Literal('['));
    } else {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      stack.push(new Literal('}'));
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i] as string;
        stack.push(record[key]);
        stack.push(new Literal(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:`));
      }
      stack.push(new Literal('{'));
    }
  }
  return hash.digest('hex');
}

/**
 * `Idempotency-Key` on a POST: the same key with the same request gets the stored answer again; with
 * another request, 422. Answers that a retry could change (429, 5xx) are not kept. A retry of a
 * request that died after its workflow event committed is answered by `recover` from that event.
 */
export function idempotent(
  db: Kysely<Database>,
  logger: Logger,
  recover?: RecoverAnswer,
): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new HttpProblem({
        code: 'bad_request',
        title: 'Malformed Idempotency-Key',
        detail: 'An Idempotency-Key is 1 to 255 visible ASCII characters, such as a UUID.',
      });
    }
    const claim: KeyClaim = {
      userId: res.locals.user.id,
      key,
      method: req.method,
      path: req.originalUrl,
      requestHash: requestHash(req.body ?? null),
    };
    const found = await claimKey(db, claim);
    if (found.kind === 'other-request') {
      throw new HttpProblem({
        code: 'idempotency_key_reused',
        title: 'Idempotency-Key used for another request',
        detail: 'This key was already used with a different request; use a new key.',
      });
    }
    if (found.kind === 'in-progress' || (found.kind === 'committed' && !recover)) {
      throw new HttpProblem({
        code: 'conflict',
        title: 'Request still in progress',
        detail: 'A request with this Idempotency-Key is still running; retry in a moment.',
      });
    }
    if (found.kind === 'answered') {
      res.status(found.answer.status).set(found.answer.headers).set('Idempotent-Replayed', 'true');
      return void res.send(JSON.stringify(found.answer.body));
    }

    // The answer is stored before it is sent: once a client has it, a retry gets it again.
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      const status = res.statusCode;
      const keep = status < 500 && status !== 429;
      const headers: Record<string, string> = {};
      for (const name of replayedHeaders) {
        const value = res.get(name);
        if (value) headers[name] = value;
      }
      if (!headers['content-type']) headers['content-type'] = 'application/json; charset=utf-8';
      const stored = keep
        ? completeKey(db, claim, { status, headers, body })
        : releaseKey(db, claim);
      stored.then(
        () => send(body),
        (error: unknown) => {
          logger.error({ err: error, reqId: req.id }, 'could not store the idempotent answer');
          // The key is released so a retry can run; if even that fails, its claim expires.
          releaseKey(db, claim)
            .catch((released: unknown) =>
              logger.error(
                { err: released, reqId: req.id },
                'could not release the idempotency key',
              ),
            )
            .finally(() => send(body));
        },
      );
      return res;
    };
    if (found.kind === 'committed' && recover) {
      // The event is not sent again: the answer is the one its commit gives, kept like any other.
      res.set('Idempotent-Replayed', 'true');
      return void (await recover(found.event, req, res));
    }
    currentClaim.run({ userId: claim.userId, key: claim.key }, next);
  };
}
