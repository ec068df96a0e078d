import jwt from 'jsonwebtoken';
import type { Config } from '../../config.js';
import type { SigningKeys } from './keys.js';

// Tokens carry only who the caller is (sub); role, group and standing are read from the database on
// every request, so a change takes effect at once. Validity is judged on wall-clock time, never on the
// scenario clock, which a secretariat may move.

export function issueToken(keys: SigningKeys, settings: Config['jwt'], userId: string): string {
  return jwt.sign({}, keys.signWith, {
    algorithm: keys.algorithm,
    subject: userId,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: settings.ttlSeconds,
  });
}

/** The user id a valid token names, or null for anything else (bad signature, algorithm, expiry…). */
export function tokenSubject(
  keys: SigningKeys,
  settings: Config['jwt'],
  token: string,
): string | null {
  try {
    const claims = jwt.verify(token, keys.verifyWith, {
      algorithms: [keys.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    return typeof claims === 'object' && typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

/** What a verified token still has to satisfy each time it is used again. */
interface VerifiedToken {
  subject: string;
  expiresAt: number;
  notBefore: number;
}

const REMEMBERED_TOKENS = 10_000;

/**
 * tokenSubject for the request path: a token string that verified once is remembered, so each
 * further request re-checks only its validity window (expiry and not-before, in whole seconds as
 * jsonwebtoken judges them) rather than parsing and verifying it again — a few percent of every
 * request. The memory is keyed by the exact token text, so nothing unverified is ever trusted;
 * refusals are not remembered; the oldest entries go first once it is full. The user is still read
 * from the database on every request.
 */
export function tokenReader(keys: SigningKeys, settings: Config['jwt']) {
  const verified = new Map<string, VerifiedToken>();
  return (token: string): string | null => {
    const now = Math.floor(Date.now() / 1000);
    const known = verified.get(token);
    if (known) {
      if (now < known.expiresAt && now >= known.notBefore) return known.subject;
      verified.delete(token);
      return null;
    }
    const subject = tokenSubject(keys, settings, token);
    if (subject === null) return null;
    const claims = jwt.decode(token) as jwt.JwtPayload;
    if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
    verified.set(token, {
      subject,
      expiresAt: typeof claims.exp === 'number' ? claims.exp : Number.POSITIVE_INFINITY,
      notBefore: typeof claims.nbf === 'number' ? claims.nbf : Number.NEGATIVE_INFINITY,
    });
    return subject;
  };
}
