import { HttpProblem } from '../problem.js';

// If-Match as RFC 9110 section 13.1.1 has it: `*`, or a list of entity tags compared strongly. A
// guideline's ETag is its version, "7", and the engine checks one expected version atomically with
// the change; so the header is reduced to that version, or to none at all for `*`.

/** A version no guideline has: a header whose tags can never match fails its precondition (412). */
export const noVersion = 0;

const entityTag = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

function malformed(): never {
  throw new HttpProblem({
    code: 'bad_request',
    title: 'Malformed If-Match',
    detail: 'If-Match must be * or a list of ETags such as "7".',
  });
}

/**
 * The version an If-Match header requires: undefined for `*` (the guideline exists, whatever its
 * version). Weak tags never match a strong comparison, nor do tags that are not a version, so a
 * header of only those requires `noVersion`, which fails with the current version in the answer.
 */
export function expectedVersion(header: string | undefined): number | undefined {
  if (!header) {
    throw new HttpProblem({
      code: 'precondition_required',
      title: 'If-Match required',
      detail:
        'Send the ETag of the guideline you looked at in If-Match, so two people cannot overwrite each other.',
    });
  }
  if (header.trim() === '*') return undefined;
  const versions = new Set<number>();
  for (const member of header.split(',')) {
    const tag = member.trim();
    if (tag === '') continue; // RFC 9110 lists tolerate empty elements
    const match = entityTag.exec(tag);
    if (!match) malformed();
    const [, weak, opaque = ''] = match;
    if (!weak && /^[1-9]\d{0,9}$/.test(opaque)) versions.add(Number(opaque));
  }
  if (versions.size > 1) {
    throw new HttpProblem({
      code: 'bad_request',
      title: 'Several versions in If-Match',
      detail: 'A guideline is at one version: name the one you looked at.',
    });
  }
  const [version] = versions;
  return version ?? noVersion;
}
