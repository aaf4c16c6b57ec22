// Authentication of the upgrade request, run as the /ws route's preValidation hook: a thrown
// error becomes an HTTP 401 problem response and the upgrade never happens.
//   1. `?ticket=` — single-use, 30 s, minted by auth (POST /auth/ws-ticket); consumed with GETDEL
//      so a replay finds nothing.
//   2. the access token — `Sec-WebSocket-Protocol: bearer, <token>` (never in a URL, so never in
//      access logs); verified by the kit exactly like /api calls. `?access_token=` is refused:
//      long-lived credentials do not go into URLs (only the 30-second single-use ticket does).
// Either way a revoked session, or a role the user no longer has, is refused. Tokens and tickets
// are never logged. Before any of that, the Origin is checked (originGuard).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors, defineError, ROLES, staleIdentity, wsTicketKey, type AccessClaims } from '@bank/kit';

export const WsTicketInvalid = defineError('WS_TICKET_INVALID', 401, 'Invalid WebSocket ticket');
export const WsTokenInUrl = defineError('WS_TOKEN_IN_URL', 401, 'Access token in the URL');
export const WsOriginForbidden = defineError('WS_ORIGIN_FORBIDDEN', 403, 'Origin not allowed');
export const WsTooManyConnections = defineError('WS_TOO_MANY_CONNECTIONS', 429, 'Too many WebSocket connections');

const TICKET = /^[A-Za-z0-9_-]{16,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The token offered as `Sec-WebSocket-Protocol: bearer, <token>`, if any. */
export function bearerFromProtocols(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return undefined;
  const parts = value.split(',').map((p) => p.trim());
  const at = parts.indexOf('bearer');
  return at >= 0 ? parts[at + 1] || undefined : undefined;
}

/** Parses what auth stored for a ticket; anything unexpected is treated as no ticket. */
export function parseTicket(raw: string | null): AccessClaims | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<AccessClaims>;
    if (typeof value.sub === 'string' && UUID.test(value.sub) && typeof value.sid === 'string' && UUID.test(value.sid) && ROLES.includes(value.role as AccessClaims['role'])) {
      return { sub: value.sub, sid: value.sid, role: value.role as AccessClaims['role'] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

export function upgradeAuthenticator(fastify: FastifyInstance) {
  return async function authenticateUpgrade(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const query = request.query as { ticket?: unknown; access_token?: unknown };
    if (query.ticket !== undefined) {
      const ticket = typeof query.ticket === 'string' && TICKET.test(query.ticket) ? query.ticket : undefined;
      const claims = parseTicket(ticket ? await fastify.redis.getdel(wsTicketKey(ticket)) : null);
      if (!claims) throw WsTicketInvalid('The ticket is unknown, expired or already used; request a new one');
      const stale = await staleIdentity(fastify.redis, claims);
      if (stale) throw stale;
      request.user = claims;
      return;
    }
    if (query.access_token !== undefined) {
      throw WsTokenInUrl('Access tokens are not accepted in the URL; use a ticket (POST /api/auth/ws-ticket) or the bearer subprotocol');
    }
    const token = bearerFromProtocols(request.headers['sec-websocket-protocol']);
    if (!token) throw CommonErrors.unauthorized('A WebSocket ticket or an access token is required');
    // Same verification (signature, issuer, audience, expiry, revocation) as every /api call.
    request.headers.authorization = `Bearer ${token}`;
    await fastify.authenticate(request, reply);
  };
}

/** `scheme://host[:port]` with default ports dropped, or undefined when `value` is not an origin. */
export function normaliseOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.origin === 'null' || !/^(https?|wss?):$/.test(url.protocol)) return undefined;
    return url.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Cross-site WebSocket hijacking defence: a browser always sends `Origin` on an upgrade, and a page
 * on another site must not open a socket with the user's ticket. Allowed: the page's own origin
 * (the Origin's host equals the host the request was made to, as forwarded by the trusted proxy)
 * and the configured origins. No Origin at all is a non-browser client (it could send any value
 * anyway) and is left to authentication.
 */
export function originGuard(allowed: readonly string[]) {
  const configured = new Set(allowed.map(normaliseOrigin).filter((o): o is string => o !== undefined));
  return async function checkOrigin(request: FastifyRequest): Promise<void> {
    const header = request.headers.origin;
    if (header === undefined) return;
    const origin = normaliseOrigin(header);
    if (origin !== undefined) {
      if (configured.has(origin)) return;
      const scheme = request.protocol === 'https' ? 'https' : 'http';
      if (normaliseOrigin(`${scheme}://${request.host}`) === origin.replace(/^ws/, 'http')) return;
    }
    throw WsOriginForbidden('This origin may not open a WebSocket here');
  };
}
