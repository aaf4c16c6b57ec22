// Verification of the platform's ES256 access tokens, shared by the gateway and every
// service (defence in depth: services never trust bare x-user-* headers). Keys come from
// auth's JWKS (jwks-keys.ts: fetched, cached, converted once) or, in tests, from a PEM. A session
// revoked in Redis is rejected even while its token is still within its 10-minute lifetime, and so
// is a token whose role is no longer the user's. The gateway answers that question from a local
// copy kept current from auth's events (`identityCheck`); services ask Redis.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { Redis } from 'ioredis';
import { AppError, CommonErrors } from './errors.ts';
import { jwksPublicKeys } from './jwks-keys.ts';

export const ROLES = ['ADMIN', 'CUSTOMER', 'VENDOR'] as const;
export type Role = (typeof ROLES)[number];
export const TOKEN_ISSUER = 'bank-auth';
export const TOKEN_AUDIENCE = 'bank-api';

export interface AccessClaims {
  sub: string;
  role: Role;
  sid: string;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    requireRole: (...roles: Role[]) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** Redis key marking a revoked session; auth writes it with the token's remaining TTL. */
export const revokedSessionKey = (sid: string) => `auth:revoked:sid:${sid}`;

/**
 * Redis key holding a user's current role, written by auth when the role changes and kept for an
 * access token's lifetime (+60 s). A token whose `role` claim differs is refused: demotion (or
 * promotion) takes effect on the next request, and a refresh mints a token with the new role
 * (docs/sessions.md, "Role changes").
 */
export const currentRoleKey = (userId: string) => `auth:user-role:${userId}`;

/** Redis key of a single-use WebSocket ticket: auth stores it (30 s), the gateway consumes it with GETDEL. */
export const wsTicketKey = (ticket: string) => `auth:ws-ticket:${ticket}`;

/**
 * Redis hash `sid → epoch ms` of recent session activity: the gateway writes it (throttled) on
 * authenticated requests, auth merges it into session lists and flushes it to PostgreSQL in batches.
 */
export const SESSION_ACTIVITY_KEY = 'auth:sessions:last-active';

export const SessionRevoked = (detail = 'This session has been signed out') =>
  new AppError('AUTH_SESSION_REVOKED', 401, 'Session revoked', detail);

export const RoleChanged = () =>
  new AppError('AUTH_ROLE_CHANGED', 401, 'Role changed', 'Your role has changed; refresh the access token');

/**
 * Why a verified identity may no longer be used: its session was revoked, or the user's role
 * changed since the token was issued. One Redis round trip (MGET of both markers).
 */
export async function staleIdentity(redis: Redis, claims: Pick<AccessClaims, 'sub' | 'sid' | 'role'>): Promise<AppError | undefined> {
  const [revoked, role] = await redis.mget(revokedSessionKey(claims.sid), currentRoleKey(claims.sub));
  if (revoked) return SessionRevoked();
  if (role && role !== claims.role) return RoleChanged();
  return undefined;
}

export interface AccessTokenOptions {
  /** http://auth:3001/auth/.well-known/jwks.json */
  jwksUrl?: string;
  /** PEM public key (tests, or when JWKS is not reachable). */
  publicKey?: string;
  redis?: Redis;
  /**
   * Why a verified identity may no longer be used, instead of asking `redis` (staleIdentity) on
   * every request: the gateway's local revocation set, which falls back to Redis itself.
   */
  identityCheck?: (claims: AccessClaims) => AppError | undefined | Promise<AppError | undefined>;
}

async function accessTokenPlugin(fastify: FastifyInstance, opts: AccessTokenOptions) {
  let secret: Parameters<typeof fastifyJwt>[1]['secret'];
  if (opts.publicKey) {
    secret = { public: opts.publicKey };
  } else if (opts.jwksUrl) {
    const publicKeyOf = jwksPublicKeys(opts.jwksUrl);
    secret = {
      public: async (_request: FastifyRequest, token: unknown) => publicKeyOf((token as { header?: { kid?: string; alg?: string } }).header ?? {}),
    } as unknown as typeof secret;
  } else {
    throw new Error('access token plugin needs jwksUrl or publicKey');
  }
  await fastify.register(fastifyJwt, {
    secret,
    decode: { complete: true },
    // Verified tokens are cached (bounded LRU, never past their expiry): clients send the same token
    // for ten minutes, and an ES256 verification costs more than the rest of the edge. Revocation is
    // still checked on every request below.
    verify: { algorithms: ['ES256'], allowedIss: TOKEN_ISSUER, allowedAud: TOKEN_AUDIENCE, cache: 10_000 },
  });

  const redis = opts.redis;
  const identityCheck = opts.identityCheck ?? (redis ? (claims: AccessClaims) => staleIdentity(redis, claims) : undefined);
  fastify.decorate('authenticate', async (request: FastifyRequest) => {
    try {
      await request.jwtVerify();
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw CommonErrors.unauthorized(
        code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' ? 'Access token expired' : 'Missing or invalid access token',
      );
    }
    if (identityCheck) {
      const stale = await identityCheck(request.user);
      if (stale) throw stale;
    }
  });

  fastify.decorate(
    'requireRole',
    (...roles: Role[]) =>
      async (request: FastifyRequest) => {
        if (!roles.includes(request.user.role)) throw CommonErrors.forbidden('Your role may not do this');
      },
  );
}

export const accessToken = fp(accessTokenPlugin, { name: 'kit-access-token', fastify: '5.x' });
