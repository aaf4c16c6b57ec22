// The gateway as a plugin: Redis → token verification → CORS → rate limits → proxies → docs.
import type { FastifyPluginAsync } from 'fastify';
import cors from '@fastify/cors';
import { accessToken, redis } from '@bank/kit';
import type { GatewayConfig } from './config.ts';
import { edgeAuthentication } from './plugins/edge-auth.ts';
import { rateLimits } from './plugins/rate-limit.ts';
import { upstreamProxies } from './plugins/upstreams.ts';
import { openApiRoutes } from './routes/openapi.ts';

export interface GatewayAppOptions {
  config: GatewayConfig;
  /** Tests verify tokens with a PEM instead of fetching auth's JWKS. */
  publicKey?: string;
}

const app: FastifyPluginAsync<GatewayAppOptions> = async (fastify, { config, publicKey }) => {
  const services = {
    auth: config.AUTH_URL,
    payments: config.PAYMENTS_URL,
    admin: config.ADMIN_URL,
    profile: config.PROFILE_URL,
  };

  await fastify.register(redis, { url: config.REDIS_URL, name: 'gateway' });
  await fastify.register(accessToken, {
    ...(publicKey ? { publicKey } : { jwksUrl: config.AUTH_JWKS_URL }),
    redis: fastify.redis,
  });
  await fastify.register(edgeAuthentication);

  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  // Closed by default: the UI is served from the same origin as /api.
  await fastify.register(cors, { origin: origins.length > 0 ? origins : false, credentials: true });

  await fastify.register(rateLimits, { max: config.RATE_LIMIT_MAX, timeWindow: config.RATE_LIMIT_WINDOW_MS });
  await fastify.register(upstreamProxies, {
    services,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    connections: config.UPSTREAM_CONNECTIONS,
  });
  await fastify.register(openApiRoutes, { services });
};

export default app;
