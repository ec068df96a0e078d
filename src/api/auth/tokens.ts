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
