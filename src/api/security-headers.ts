import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

// Helmet decides the security headers; this asks it once. With fixed options every header helmet
// sets is a constant, yet its middleware runs a dozen functions and rebuilds the content security
// policy on each request (a twentieth of an event's CPU). So helmet runs once against a response
// that only records, and each request gets the recorded headers set in one loop.

export function securityHeaders(options?: Readonly<HelmetOptions>): RequestHandler {
  const set = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      removed.delete(name);
      set.set(name, String(value));
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.add(name);
    },
  };
  let done = false;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error;
      done = true;
    },
  );
  // Helmet finishes synchronously with options like these; if a future one did not, or touched
  // the request, its headers could differ per request and recording them would be wrong.
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be fixed');
  const headers = [...set];
  const dropped = [...removed];
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of dropped) res.removeHeader(name);
    next();
  };
}
