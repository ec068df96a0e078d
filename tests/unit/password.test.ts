import { describe, expect, it } from 'vitest';
import {
  decoyHash,
  hashPassword,
  needsRehash,
  passwordParameters,
  verifyPassword,
} from '../../src/domain/password.js';

describe('the decoy an unknown e-mail is checked against', () => {
  it('is a hash at the current parameters, so checking it costs what a real one does', async () => {
    const real = await hashPassword('correct horse battery staple');
    expect(needsRehash(decoyHash)).toBe(false);
    // Same scheme and parameters as a real hash: only the salt and key differ.
    expect(decoyHash.split('$').slice(0, 4)).toEqual(real.split('$').slice(0, 4));
    expect(decoyHash.split('$').slice(1, 4).map(Number)).toEqual([
      passwordParameters.N,
      passwordParameters.r,
      passwordParameters.p,
    ]);
  });

  it('matches no password', async () => {
    for (const password of ['', 'not a real password', 'correct horse battery staple']) {
      expect(await verifyPassword(password, decoyHash)).toBe(false);
    }
  });
});
