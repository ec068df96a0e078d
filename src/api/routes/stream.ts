import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { systemClock } from '../../clock.js';
import type { StreamHub, StreamOutput } from '../../notifications/stream/hub.js';
import { comment } from '../../notifications/stream/messages.js';
import {
  issueStreamTicket,
  redeemTicket,
  ticketTtlSeconds,
} from '../../notifications/stream/tickets.js';
import { activeAccount } from '../../workflow/read-users.js';
import { authenticate } from '../auth/authenticate.js';
import type { ApiDependencies } from '../dependencies.js';
import { endpoint } from '../endpoint.js';
import { HttpProblem } from '../problem.js';

// The live stream (SPEC section 5). Signed in by a bearer header, or by a one-use ticket in the
// URL for EventSource; a token itself never travels in a URL.

const eventId = /^\d{1,15}$/;

const streamQuery = z.strictObject({
  ticket: z.string().min(1).max(100).optional(),
  lastEventId: z.string().regex(eventId, 'must be the id of a stream message (digits)').optional(),
});

const ticketSchema = z
  .strictObject({
    ticket: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'StreamTicket' });

/** Writes to a response, and gives up on a reader so slow that a megabyte waits for them. */
function responseOutput(res: Response): StreamOutput {
  return {
    write(text) {
      if (res.writableEnded) return;
      if (res.writableLength > 1 << 20) {
        res.end();
        return;
      }
      res.write(text);
    },
    close() {
      if (!res.writableEnded) res.end();
    },
  };
}

const badTicket = () =>
  new HttpProblem(
    {
      code: 'unauthenticated',
      title: 'Not signed in',
      detail:
        'The ticket is unknown, used or expired: get a new one at POST /api/v1/stream/ticket.',
    },
    { 'WWW-Authenticate': 'Bearer' },
  );

export const streamEndpoints = (deps: ApiDependencies) => {
  const bearer = authenticate(deps);
  const wallClock = deps.stream?.wallClock ?? systemClock;

  /** Signs the reader in by ticket (used up here) or else by bearer token; the user is re-read either way. */
  const signIn: RequestHandler = async (req, res, next) => {
    const ticket = req.query.ticket;
    if (typeof ticket !== 'string' || ticket === '') return bearer(req, res, next);
    const userId = await redeemTicket(deps.db, wallClock, ticket.slice(0, 200));
    if (!userId) throw badTicket();
    const user = await activeAccount(deps.db, userId);
    if (!user) throw badTicket();
    res.locals.user = user;
    next();
  };

  const resumeFrom = (req: Request, query: string | undefined): number | null => {
    // EventSource sends the header when it reconnects by itself: it is newer than the URL's.
    const header = req.get('last-event-id');
    const value = header ?? query;
    if (value === undefined || value === '') return null;
    if (!eventId.test(value)) {
      throw new HttpProblem({
        code: 'validation_failed',
        title: 'Invalid request',
        detail: 'Last-Event-ID must be the id of a stream message (digits).',
        errors: [{ path: 'header.Last-Event-ID', message: 'must be digits' }],
      });
    }
    return Number(value);
  };

  const open = async (
    hub: StreamHub,
    readerId: string,
    lastEventId: number | null,
    res: Response,
  ) => {
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const connection = await hub.connect(readerId, responseOutput(res), lastEventId);
    // The response's close, not the request's: a GET's request side is done once it is read.
    res.on('close', () => connection.end());
    if (res.writableEnded || res.destroyed) connection.end();
    else res.write(comment('connected'));
  };

  return [
    endpoint({
      method: 'post',
      path: '/api/v1/stream/ticket',
      tag: 'stream',
      summary: 'A one-use ticket to open the live stream',
      description: `For EventSource, which cannot send an Authorization header: open \`GET /api/v1/stream?ticket=…\` within ${ticketTtlSeconds} seconds. A ticket works once; to reconnect, get another and pass \`lastEventId\`.`,
      signedIn: true,
      responses: { 201: { description: 'A ticket.', schema: ticketSchema } },
      problems: [],
      async handle({ user }, _req, res) {
        const { ticket, expiresAt } = await issueStreamTicket(deps.db, wallClock, user.id);
        res
          .status(201)
          .set('Cache-Control', 'no-store')
          .json({ ticket, expiresAt: expiresAt.toISOString() });
      },
    }),
    endpoint({
      method: 'get',
      path: '/api/v1/stream',
      tag: 'stream',
      summary: 'The live stream of your notifications and of changes to guidelines you may see',
      description:
        "Server-Sent Events. Sign in with `Authorization: Bearer …` or `?ticket=` (from POST /api/v1/stream/ticket). Messages: `event: notification` (yours alone) and `event: guideline` (`id, state, stateValue, round, version, event, at` — never sealed content), each with an `id`. Resume with the `Last-Event-ID` header or `?lastEventId=`: everything after it that you may see is sent first, once. A comment line comes at each heartbeat; a deactivated account's stream ends at the next message or heartbeat.",
      signedIn: true,
      signIn,
      query: streamQuery,
      responses: {
        200: { description: 'The stream (text/event-stream).', contentType: 'text/event-stream' },
      },
      problems: ['not_ready'],
      async handle({ query, user }, req, res) {
        const lastEventId = resumeFrom(req, query.lastEventId);
        const hub = deps.stream?.hub;
        if (!hub) {
          throw new HttpProblem({
            code: 'not_ready',
            title: 'Live stream not running',
            detail: 'This server process runs without the live stream.',
          });
        }
        await open(hub, user.id, lastEventId, res);
      },
    }),
  ];
};
