// Authentication of the upgrade request, run as the /ws route's preValidation hook: a thrown
// error becomes an HTTP 401 problem response and the upgrade never happens.
//   1. `?ticket=` — single-use, 30 s, minted by auth (POST /auth/ws-ticket); consumed with GETDEL
//      so a replay finds nothing.
//   2. the access token — `Sec-WebSocket-Protocol: bearer, <token>` (preferred: never in a URL,
//      so never in access logs) or `?access_token=`; verified by the kit exactly like /api calls.
// Either way a revoked session is refused. Tokens and tickets are never logged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CommonErrors, defineError, revokedSessionKey, ROLES, SessionRevoked, wsTicketKey, type AccessClaims } from '@bank/kit';

export const WsTicketInvalid = defineError('WS_TICKET_INVALID', 401, 'Invalid WebSocket ticket');

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
      if (await fastify.redis.exists(revokedSessionKey(claims.sid))) throw SessionRevoked();
      request.user = claims;
      return;
    }
    const token = bearerFromProtocols(request.headers['sec-websocket-protocol']) ?? (typeof query.access_token === 'string' ? query.access_token : undefined);
    if (!token) throw CommonErrors.unauthorized('A WebSocket ticket or an access token is required');
    // Same verification (signature, issuer, audience, expiry, revocation) as every /api call.
    request.headers.authorization = `Bearer ${token}`;
    await fastify.authenticate(request, reply);
  };
}
