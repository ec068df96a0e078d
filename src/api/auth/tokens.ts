import jwt from 'jsonwebtoken';
import type { Config } from '../../config.js';
import type { SigningKeys } from './keys.js';

// Tokens carry only who the caller is (sub) and the user's token epoch at issue (ep); role, group,
// standing and the current epoch are read from the database on every request, so a change takes
// effect at once. Validity is judged on wall-clock time, never on the scenario clock, which a
// secretariat may move.

export function issueToken(
  keys: SigningKeys,
  settings: Config['jwt'],
  userId: string,
  epoch = 0,
): string {
  return jwt.sign({ ep: epoch }, keys.signWith, {
    algorithm: keys.algorithm,
    subject: userId,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: settings.ttlSeconds,
  });
}

export interface TokenSubject {
  subject: string;
  /** The user's token epoch when it was issued (0 for tokens from before epochs existed). */
  epoch: number;
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
    // A token that never expires is not one this server issues, however well it is signed.
    if (typeof claims.exp !== 'number') return null;
    const epoch = claims.ep ?? 0;
    if (!Number.isSafeInteger(epoch) || epoch < 0) return null;
    return {
      subject: claims.sub,
      epoch: epoch as number,
      expiresAt: claims.exp,
      notBefore: typeof claims.nbf === 'number' ? claims.nbf : Number.NEGATIVE_INFINITY,
    };
  } catch {
    return null;
  }
}

const REMEMBERED_TOKENS = 10_000;

/**
 * The user id and epoch a valid token names, or null. A token string that verified once is
 * remembered, so each further request re-checks only its validity window (expiry and not-before, in
 * whole seconds as jsonwebtoken judges them) rather than parsing and verifying it again — a few
 * percent of every request. The memory is keyed by the exact token text, so nothing unverified is
 * ever trusted; refusals are not remembered; the oldest entries go first once it is full. The user
 * (and its current epoch) is still read from the database on every request. Each call makes its own
 * memory: `authenticate` makes one per app, nothing is module-global.
 */
export function tokenReader(keys: SigningKeys, settings: Config['jwt']) {
  const verified = new Map<string, NonNullable<ReturnType<typeof verifiedToken>>>();
  return (token: string): TokenSubject | null => {
    const now = Math.floor(Date.now() / 1000);
    const known = verified.get(token);
    if (known) {
      if (now < known.expiresAt && now >= known.notBefore) return known;
      verified.delete(token);
      return null;
    }
    const fresh = verifiedToken(keys, settings, token);
    if (!fresh) return null;
    if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
    verified.set(token, fresh);
    return fresh;
  };
}
