import { describe, expect, it } from 'vitest';
import { isConnectionLoss } from '../../src/db/connection-loss.js';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('what counts as a lost database connection', () => {
  it('knows the server shutting down, connection exceptions, sockets and the driver', () => {
    for (const code of [
      '57P01',
      '57P02',
      '57P03',
      '08006',
      '08003',
      '08P01',
      'ECONNRESET',
      'EPIPE',
    ]) {
      expect(isConnectionLoss(withCode(code)), code).toBe(true);
    }
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
  });

  it('leaves the request’s own failures alone', () => {
    for (const code of ['23505', '40001', '22P02', '57014']) {
      expect(isConnectionLoss(withCode(code)), code).toBe(false);
    }
    expect(isConnectionLoss(new Error('syntax error'))).toBe(false);
    expect(isConnectionLoss(undefined)).toBe(false);
  });
});
