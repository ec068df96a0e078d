import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';
import type { DossierBuild, DossierContent } from './document.js';
import { longDate } from './wording.js';

// A version is its content: two builds with the same content are one version. The date line and
// the revision mark belong to the build, so they stay out of the hash.

export const sha256 = (data: string | Uint8Array) =>
  createHash('sha256').update(data).digest('hex');

export const contentHash = (content: DossierContent) => sha256(canonicalJson(content));

/** Version 1 carries the symbol as configured; version N + 1 carries `(Rev.N)`. */
export const revisedSymbol = (base: string, version: number) =>
  version <= 1 ? base : `${base}(Rev.${version - 1})`;

export function dossierBuild(
  content: DossierContent,
  version: number,
  builtAt: Date,
  place = 'Geneva',
): DossierBuild {
  return {
    version,
    symbol: revisedSymbol(content.baseSymbol, version),
    dateLine: `${place}, ${longDate(builtAt)}`,
    builtAt: builtAt.toISOString(),
  };
}
