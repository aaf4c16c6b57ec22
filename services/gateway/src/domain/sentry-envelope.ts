// The browser's Sentry envelopes as the tunnel sees them (routes/sentry-tunnel.ts): which DSN an
// envelope names and where Sentry's ingest takes it. An envelope is newline-separated JSON; its
// first line is the header, which carries `dsn` when the SDK posts through a `tunnel`.

/** A DSN reduced to what identifies the project: scheme, public key, host (with port), path. */
export function normaliseDsn(dsn: string): string | undefined {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.username || !/\/\d+$/.test(url.pathname)) return undefined;
  return `${url.protocol}//${url.username}@${url.host}${url.pathname}`;
}

/** Sentry's envelope endpoint for a DSN: https://key@host[/prefix]/42 → https://host[/prefix]/api/42/envelope/. */
export function envelopeEndpoint(dsn: string): string {
  const url = new URL(dsn);
  const cut = url.pathname.lastIndexOf('/');
  return `${url.protocol}//${url.host}${url.pathname.slice(0, cut)}/api/${url.pathname.slice(cut + 1)}/envelope/`;
}

export type EnvelopeCheck = { ok: true } | { ok: false; reason: 'malformed' | 'foreign-dsn' };

/** Whether `body` is an envelope whose header names the configured DSN (compared normalised). */
export function checkEnvelope(body: Buffer, configuredDsn: string): EnvelopeCheck {
  const end = body.indexOf(0x0a);
  const headerLine = body.subarray(0, end === -1 ? body.length : end).toString('utf8');
  let header: unknown;
  try {
    header = JSON.parse(headerLine);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header !== 'object' || header === null || typeof (header as { dsn?: unknown }).dsn !== 'string') return { ok: false, reason: 'malformed' };
  const named = normaliseDsn((header as { dsn: string }).dsn);
  if (!named) return { ok: false, reason: 'malformed' };
  return named === normaliseDsn(configuredDsn) ? { ok: true } : { ok: false, reason: 'foreign-dsn' };
}
