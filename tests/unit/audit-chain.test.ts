import { describe, expect, it } from 'vitest';
import { type AuditContent, auditHash, findChainBreak } from '../../src/domain/audit-chain.js';
import { canonicalJson } from '../../src/domain/canonical-json.js';

function chainOf(events: string[]) {
  let prev: string | null = null;
  return events.map((eventType, i) => {
    const content: AuditContent = {
      chain: 'guideline:g1',
      seq: i + 1,
      guidelineId: 'g1',
      actorId: 'u1',
      actorRole: 'drafter',
      eventType,
      payload: { note: `step ${i + 1}` },
      fromState: null,
      toState: null,
      version: i + 1,
      occurredAt: new Date(Date.UTC(2005, 9, 3 + i)),
    };
    const entry = { ...content, prevHash: prev, hash: auditHash(content, prev) };
    prev = entry.hash;
    return entry;
  });
}

describe('canonical JSON', () => {
  it('does not depend on key order and sorts nested keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow(TypeError);
  });
});

describe('the audit chain', () => {
  it('verifies an untouched chain', () => {
    expect(findChainBreak(chainOf(['CREATE', 'SUBMIT', 'ACCEPT_FOR_REVIEW']))).toBeNull();
  });

  it('names the first entry whose content was changed', () => {
    const chain = chainOf(['CREATE', 'SUBMIT', 'ACCEPT_FOR_REVIEW', 'CLOSE_CONSULTATION']);
    chain[2] = { ...chain[2]!, payload: { note: 'rewritten afterwards' } };
    expect(findChainBreak(chain)).toEqual({ seq: 3, problem: 'hash_mismatch' });
  });

  it('notices an entry removed or two swapped', () => {
    const chain = chainOf(['CREATE', 'SUBMIT', 'ACCEPT_FOR_REVIEW']);
    expect(findChainBreak([chain[0]!, chain[2]!])).toEqual({ seq: 3, problem: 'gap' });
    const swapped = [chain[0]!, { ...chain[2]!, seq: 2 }, { ...chain[1]!, seq: 3 }];
    expect(findChainBreak(swapped)).toEqual({ seq: 2, problem: 'prev_hash_mismatch' });
  });

  it('ignores properties that are not content, such as a row id', () => {
    const chain = chainOf(['CREATE']).map((e) => ({ ...e, id: 42 }));
    expect(findChainBreak(chain)).toBeNull();
  });
});
