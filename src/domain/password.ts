import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt from node:crypto (no native add-on to build). The stored form names its parameters so they
// can be raised later without invalidating existing hashes: scrypt$N$r$p$salt$hash (base64url); a
// hash below the current parameters is replaced at its owner's next sign-in (`needsRehash`).

export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** OWASP's Password Storage Cheat Sheet minimum for scrypt: N = 2^17, r = 8, p = 1 (128 MiB). */
export const passwordParameters: Readonly<ScryptParameters> = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }) {
  // scrypt needs 128·N·r bytes; the margin covers the rest of its working set.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes with the current parameters; weaker ones only when a caller (a test) asks explicitly. */
export async function hashPassword(
  password: string,
  params: ScryptParameters = passwordParameters,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  const { N, r, p } = params;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), params);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * What a sign-in for an unknown e-mail is checked against, so it costs what a wrong password does:
 * a well-formed hash at the current parameters that no password matches (its key is all zeros).
 */
export const decoyHash = [
  'scrypt',
  passwordParameters.N,
  passwordParameters.r,
  passwordParameters.p,
  Buffer.alloc(16).toString('base64url'),
  Buffer.alloc(KEY_LENGTH).toString('base64url'),
].join('$');

/** Whether a stored hash is weaker than the current parameters, so is to be replaced. */
export function needsRehash(
  stored: string,
  params: ScryptParameters = passwordParameters,
): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return (
    scheme !== 'scrypt' || Number(n) < params.N || Number(r) < params.r || Number(p) < params.p
  );
}
