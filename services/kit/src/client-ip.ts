// Which client address to believe. A request's address is its socket peer unless that peer is a
// configured trusted proxy (TRUSTED_PROXIES: IPs/CIDRs or proxy-addr's names `loopback`,
// `linklocal`, `uniquelocal`), in which case X-Forwarded-For is read from the right, skipping
// trusted hops: the first untrusted address is the client (Fastify's trustProxy with a list, i.e.
// proxy-addr). Values to the left of it were written by the client and are never used.
// Malformed entries are cut off before Fastify sees the header (see sanitiseForwardedFor), so
// `request.ip` is always a valid address — never something a database `inet` column rejects.
// Hop counts are not offered: they cannot check that the peer really is a proxy.
import { isIP } from 'node:net';

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses TRUSTED_PROXIES (`none` = trust nobody); throws naming the first entry that is neither an
 * address, a CIDR nor a name.
 */
export function parseTrustedProxies(value: string): string[] {
  if (value.trim() === 'none') return [];
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (NAMED_RANGES.has(entry)) continue;
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    if (family === 0 || rest.length > 0 || !bitsOk) {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address, a CIDR or one of ${[...NAMED_RANGES].join(', ')}`);
    }
  }
  return entries;
}

/**
 * The right-most run of well-formed addresses of an X-Forwarded-For value (comma-joined, as Node
 * joins repeated headers), or undefined when there is none. A trusted proxy appends valid
 * addresses on the right, so cutting at the first malformed entry from the right loses nothing a
 * proxy wrote — only what the client made up.
 */
export function sanitiseForwardedFor(header: string): string | undefined {
  const entries = header.split(',');
  const kept: string[] = [];
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i]!.trim();
    // No zone ids (`fe80::1%eth0`): valid for sockets, not for an address column.
    if (isIP(entry) === 0 || entry.includes('%')) break;
    kept.unshift(entry);
  }
  return kept.length > 0 ? kept.join(', ') : undefined;
}
