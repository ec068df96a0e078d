import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { redeemStreamTicket, storeStreamTicket } from '../../db/stream-tickets.js';

// A ticket lets EventSource, which cannot send an Authorization header, open a stream without a
// token in the URL. It is random (256 bits), valid once, for 60 seconds of wall-clock time: like a
// token's expiry, this is a security property, so it never follows the scenario clock, which the
// secretariat may move and which the demo runs in 2005. Wall-clock time is injected only so that
// tests can pass the minute without waiting.

export const ticketTtlSeconds = 60;

const hashOf = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

export async function issueStreamTicket(
  db: Kysely<Database>,
  wallClock: Clock,
  userId: string,
): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomBytes(32).toString('base64url');
  const now = wallClock.now();
  const expiresAt = new Date(now.getTime() + ticketTtlSeconds * 1000);
  await storeStreamTicket(db, { hash: hashOf(ticket), userId, expiresAt }, now);
  return { ticket, expiresAt };
}

/** The user the ticket was issued to, or null if it is unknown, used or expired. Used up either way. */
export function redeemTicket(
  db: Kysely<Database>,
  wallClock: Clock,
  ticket: string,
): Promise<string | null> {
  return redeemStreamTicket(db, hashOf(ticket), wallClock.now());
}
