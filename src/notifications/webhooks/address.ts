import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../../domain/private-address.js';

// Whether a webhook URL may be called: http(s) only, and — unless private addresses are allowed —
// every address its host resolves to is public. Checked when the subscription is made and again
// before each try, since a name can come to resolve elsewhere.

export async function webhookUrlRefusal(
  raw: string,
  allowPrivate: boolean,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return 'has a host name that does not resolve';
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    return 'resolves to a loopback or private address (set WEBHOOK_ALLOW_PRIVATE=true to allow)';
  }
  return null;
}
