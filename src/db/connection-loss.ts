// The one place that knows what "the database went away" looks like, from either side of the
// socket: PostgreSQL's own SQLSTATEs for a server shutting down or refusing connections, the whole
// class 08 (connection exception), node's socket errors, and what the pg driver says when the
// connection under a query ends. Such a failure is the server's, not the request's: the request
// is answered 503 with Retry-After and the pool opens a new connection for the next one.

const shutdownStates = new Set(['57P01', '57P02', '57P03']);
const socketErrors = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const driverMessages = [
  /^Connection terminated/,
  /connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^timeout exceeded when trying to connect/,
];

export function isConnectionLoss(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (shutdownStates.has(code) || /^08[0-9A-Z]{3}$/.test(code) || socketErrors.has(code)) {
        return true;
      }
    }
    if (typeof message === 'string' && driverMessages.some((m) => m.test(message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
