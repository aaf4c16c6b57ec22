// The gateway as a plugin: Redis → revocations (local copy) → token verification → session
// activity → CORS → rate limits → WebSocket → Sentry tunnel → proxies → GraphQL → docs.
import type { FastifyPluginAsync } from 'fastify';
import cors from '@fastify/cors';
import { accessToken, redis } from '@bank/kit';
import type { GatewayConfig } from './config.ts';
import { edgeAuthentication } from './plugins/edge-auth.ts';
import { rateLimits } from './plugins/rate-limit.ts';
import { upstreamProxies } from './plugins/upstreams.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { sentryTunnel } from './routes/sentry-tunnel.ts';
import { sessionActivity } from './plugins/session-activity.ts';
import { revocations } from './plugins/revocations.ts';
import { websocketEndpoint } from './ws/plugin.ts';
import { graphqlEndpoint } from './graphql/plugin.ts';

export interface GatewayAppOptions {
  config: GatewayConfig;
  /** Tests verify tokens with a PEM instead of fetching auth's JWKS. */
  publicKey?: string;
  /** Tests publish hub events as one RabbitMQ user for every source. */
  eventsUserForSource?: (source: string) => string;
}

const app: FastifyPluginAsync<GatewayAppOptions> = async (fastify, { config, publicKey, eventsUserForSource }) => {
  const services = {
    auth: config.AUTH_URL,
    payments: config.PAYMENTS_URL,
    admin: config.ADMIN_URL,
    profile: config.PROFILE_URL,
  };

  await fastify.register(redis, { url: config.REDIS_URL, name: 'gateway' });
  await fastify.register(revocations, {
    ...(config.REVOCATION_EVENTS_ENABLED ? { url: config.RABBITMQ_URL } : {}),
    prefix: config.EVENTS_PREFIX,
    settleMs: config.REVOCATION_SETTLE_MS,
    ...(eventsUserForSource ? { userForSource: eventsUserForSource } : {}),
  });
  await fastify.register(accessToken, {
    ...(publicKey ? { publicKey } : { jwksUrl: config.AUTH_JWKS_URL }),
    redis: fastify.redis,
    identityCheck: (claims) => fastify.revocations.check(claims),
  });
  await fastify.register(edgeAuthentication);
  await fastify.register(sessionActivity, { key: config.SESSION_ACTIVITY_KEY, throttleMs: config.SESSION_ACTIVITY_THROTTLE_MS });

  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  // Closed by default: the UI is served from the same origin as /api.
  await fastify.register(cors, {
    origin: origins.length > 0 ? origins : false,
    credentials: true,
    // An OPTIONS that is not a CORS preflight (no Origin / Access-Control-Request-Method) goes on
    // like any request instead of a text/plain 400 (every error here is problem+json).
    strictPreflight: false,
  });

  await fastify.register(rateLimits, { max: config.RATE_LIMIT_MAX, timeWindow: config.RATE_LIMIT_WINDOW_MS, syncIntervalMs: config.RATE_LIMIT_SYNC_INTERVAL_MS });
  await fastify.register(websocketEndpoint, {
    heartbeatIntervalMs: config.WS_HEARTBEAT_INTERVAL_MS,
    heartbeatTimeoutMs: config.WS_HEARTBEAT_TIMEOUT_MS,
    maxMessageBytes: config.WS_MAX_MESSAGE_BYTES,
    maxMessagesPerSecond: config.WS_MAX_MESSAGES_PER_SECOND,
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    closeGraceMs: config.WS_CLOSE_GRACE_MS,
    maxSocketsPerUser: config.WS_MAX_SOCKETS_PER_USER,
    allowedOrigins: [...origins, ...config.WS_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)],
    ...(config.WS_BRIDGE_ENABLED ? { bridgeUrl: config.RABBITMQ_URL } : {}),
    eventsPrefix: config.EVENTS_PREFIX,
    ...(eventsUserForSource ? { userForSource: eventsUserForSource } : {}),
  });
  await fastify.register(sentryTunnel, { dsn: config.BROWSER_SENTRY_DSN, maxBytes: config.SENTRY_TUNNEL_MAX_BYTES, timeoutMs: config.UPSTREAM_TIMEOUT_MS });
  await fastify.register(upstreamProxies, {
    services,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    connections: config.UPSTREAM_CONNECTIONS,
    bodyLimit: config.BODY_LIMIT_BYTES,
  });
  await fastify.register(graphqlEndpoint, {
    services,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    connections: config.UPSTREAM_CONNECTIONS,
    enabledByDefault: config.GRAPHQL_ENABLED,
    configRetryMs: config.GRAPHQL_CONFIG_RETRY_MS,
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
    maxQueryBytes: config.GRAPHQL_MAX_QUERY_BYTES,
    development: config.NODE_ENV !== 'production',
    allowedOrigins: [...origins, ...config.WS_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)],
    keepAliveMs: config.WS_HEARTBEAT_INTERVAL_MS,
  });
  await fastify.register(openApiRoutes, { services });
};

export default app;
