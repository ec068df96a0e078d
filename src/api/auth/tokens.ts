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

/** What a valid token says of itself; null for anything else (bad signature, algorithm, expiry…). */
function verifiedToken(keys: SigningKeys, settings: Config['jwt'], token: string) {
  try {
    const claims = jwt.verify(token, keys.verifyWith, {
      algorithms: [keys.algorithm],
      issuer: settings.issuer,
      audience: settings.audience,
    });
    if (typeof claims !== 'object' || typeof claims.sub !== 'string') return null;
    return {
      subject: claims.sub,
      expiresAt: typeof claims.exp === 'number' ? claims.exp : Number.POSITIVE_INFINITY,
      notBefore: typeof claims.nbf === 'number' ? claims.nbf : Number.NEGATIVE_INFINITY,
    };
  } catch {
    return null;
  }
}

const REMEMBERED_TOKENS = 10_000;

/**
 * The user id a valid token names, or null. A token string that verified once is remembered, so each
 * further request re-checks only its validity window (expiry and not-before, in whole seconds as
 * jsonwebtoken judges them) rather than parsing and verifying it again — a few percent of every
 * request. The memory is keyed by the exact token text, so nothing unverified is ever trusted;
 * refusals are not remembered; the oldest entries go first once it is full. The user is still read
 * from the database on every request.
 */
export function tokenReader(keys: SigningKeys, settings: Config['jwt']) {
  const verified = new Map<string, NonNullable<ReturnType<typeof verifiedToken>>>();
  return (token: string): string | null => {
    const now = Math.floor(Date.now() / 1000);
    const known = verified.get(token);
    if (known) {
      if (now < known.expiresAt && now >= known.notBefore) return known.subject;
      verified.delete(token);
      return null;
    }
    const fresh = verifiedToken(keys, settings, token);
    if (!fresh) return null;
    if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
    verified.set(token, fresh);
    return fresh.subject;
  };
}
