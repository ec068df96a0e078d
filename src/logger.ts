import { type Logger, pino } from 'pino';

/** Secrets never reach a log line, whichever object carries them. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'token',
  '*.password',
  '*.token',
  '*.password_hash',
];

export function createLogger(
  level: string,
  // Lines written while a write is in flight go out together: under load, one system call carries
  // many requests' lines instead of one each. pino flushes what is left when the process exits.
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false }),
): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}
