// The edge API's map: which prefix goes to which service, and which paths need no token.

export const UPSTREAM_SERVICES = ['auth', 'payments', 'admin', 'profile'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

/** Exact paths (after `/api`) reachable without an access token. */
const PUBLIC_PATHS = new Set([
  '/auth/signup',
  '/auth/signin',
  '/auth/refresh',
  '/auth/.well-known/jwks.json',
  '/auth/openapi.json',
  '/payments/openapi.json',
  '/admin/openapi.json',
  '/admin/config/public', // maintenance switch and banner: the shell shows them before sign-in
  '/profile/openapi.json',
  '/monitoring/sentry-tunnel', // browser error reports, also from the sign-in page (routes/sentry-tunnel.ts)
]);

export function isPublicApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith('/api/')) return true; // health, metrics, docs: not proxied
  if (path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/')) return true;
  return PUBLIC_PATHS.has(path.slice(4).replace(/\/+$/, ''));
}

/** Identity headers the gateway sets after verifying the token; a client must never send them. */
export const IDENTITY_HEADERS = ['x-user-id', 'x-user-role', 'x-session-id'] as const;

export function stripClientIdentity(headers: Record<string, unknown>): void {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase().startsWith('x-user-') || name.toLowerCase() === 'x-session-id') delete headers[name];
  }
}
