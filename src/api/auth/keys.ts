import type { KeyObject } from 'node:crypto';
import { createSecretKey, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.js';

// The keys tokens are signed and checked with, and the one algorithm accepted. Without configured
// keys (the embedded demo only: configuration refuses this with DATABASE_URL) a random secret is
// generated once and kept in DATA_DIR, so tokens survive a restart.

export interface SigningKeys {
  algorithm: 'HS256' | 'RS256' | 'ES256';
  signWith: KeyObject;
  verifyWith: KeyObject;
}

/**
 * HS256 keys from a shared secret. Made a KeyObject once: given the plain string, jsonwebtoken
 * tries to parse it as a public key on every verification, which cost a fifth of a request.
 */
export function hmacKeys(secret: string): SigningKeys {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return { algorithm: 'HS256', signWith: key, verifyWith: key };
}

export async function signingKeys(config: Config): Promise<SigningKeys> {
  const keys = config.jwt.keys;
  if (keys.source === 'configured') {
    return keys.algorithm === 'HS256'
      ? hmacKeys(keys.secret)
      : { algorithm: keys.algorithm, signWith: keys.privateKey, verifyWith: keys.publicKey };
  }
  const file = path.join(config.dataDir, 'jwt-secret');
  let secret: string;
  try {
    secret = (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(config.dataDir, { recursive: true });
    secret = randomBytes(48).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async () => {
      secret = (await readFile(file, 'utf8')).trim(); // another process wrote it first
    });
    await chmod(file, 0o600);
  }
  return hmacKeys(secret);
}
