// Gateway configuration: the only place the gateway reads the environment.
import { Type } from 'typebox';
import { loadConfig, SESSION_ACTIVITY_KEY } from '@bank/kit';

const httpUrl = (def: string) => Type.String({ pattern: '^https?://', default: def });

export const configProperties = {
  PORT: Type.Integer({ default: 3000, minimum: 1, maximum: 65535 }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  RABBITMQ_URL: Type.String({ pattern: '^amqps?://', default: 'amqp://guest:guest@127.0.0.1:5672' }),
  AUTH_URL: httpUrl('http://127.0.0.1:3001'),
  PAYMENTS_URL: httpUrl('http://127.0.0.1:3002'),
  ADMIN_URL: httpUrl('http://127.0.0.1:3003'),
  PROFILE_URL: httpUrl('http://127.0.0.1:3004'),
  /** Where the gateway fetches auth's public keys (cached; looked up by `kid`). */
  AUTH_JWKS_URL: httpUrl('http://127.0.0.1:3001/auth/.well-known/jwks.json'),
  /** Comma-separated allowed origins; empty = CORS closed (the UI is same-origin). */
  CORS_ORIGINS: Type.String({ default: '' }),
  RATE_LIMIT_MAX: Type.Integer({ default: 300, minimum: 1 }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  /** How often each replica shares its rate-limit counts through Redis (a user may exceed the limit by what other replicas count meanwhile). */
  RATE_LIMIT_SYNC_INTERVAL_MS: Type.Integer({ default: 500, minimum: 50, maximum: 10_000 }),
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  UPSTREAM_CONNECT_TIMEOUT_MS: Type.Integer({ default: 2_000, minimum: 100 }),
  UPSTREAM_CONNECTIONS: Type.Integer({ default: 64, minimum: 1 }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024 }),
  // Browser error reports (routes/sentry-tunnel.ts, docs/observability.md "Front-ends").
  /**
   * The browser project's DSN, the same value as the shell's; empty = no tunnel (404). The shape
   * the browser SDK accepts (it ignores a key with a '-', say): scheme://key@host[:port][/prefix]/project.
   */
  BROWSER_SENTRY_DSN: Type.String({ default: '', pattern: '^(https?://\\w+@[\\w.-]+(:\\d+)?(/[^/]+)*/[0-9]+)?$' }),
  /** Largest envelope forwarded (a browser error event is a few kB; 413 beyond). */
  SENTRY_TUNNEL_MAX_BYTES: Type.Integer({ default: 262_144, minimum: 1024 }),
  /** Name prefix of the hub's exchange and the bridge queue (tests isolate runs with it). */
  EVENTS_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9._-]*$' }),
  // Revocations (docs/sessions.md): a local copy kept current from auth's events, Redis per request as the fallback.
  /** Keep the local copy from auth's events; off only for tests of the Redis path (then every request asks Redis). */
  REVOCATION_EVENTS_ENABLED: Type.Boolean({ default: true }),
  /** After (re)subscribing, how long to wait before copying auth's markers from Redis and trusting the local copy. */
  REVOCATION_SETTLE_MS: Type.Integer({ default: 1_000, minimum: 0, maximum: 60_000 }),
  // WebSocket (/ws) — see docs/websocket.md.
  /** Consume hub events and push them to sockets; off only for tests and the benchmark. */
  WS_BRIDGE_ENABLED: Type.Boolean({ default: true }),
  WS_HEARTBEAT_INTERVAL_MS: Type.Integer({ default: 30_000, minimum: 50 }),
  /** A socket that has not answered a ping within this time is terminated. */
  WS_HEARTBEAT_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 20 }),
  WS_MAX_MESSAGE_BYTES: Type.Integer({ default: 4096, minimum: 64 }),
  WS_MAX_MESSAGES_PER_SECOND: Type.Integer({ default: 20, minimum: 1 }),
  /** A slow client whose send buffer exceeds this loses messages (counted) instead of growing memory. */
  WS_MAX_BUFFERED_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024 }),
  /**
   * Sockets one user may hold on one gateway replica; a further upgrade is refused with 429
   * (WS_TOO_MANY_CONNECTIONS). Per replica: with N replicas a user holds at most N × this.
   */
  WS_MAX_SOCKETS_PER_USER: Type.Integer({ default: 10, minimum: 1 }),
  /**
   * Origins allowed to open /ws besides the page's own (Origin host = the request's host) and
   * CORS_ORIGINS; comma-separated. Browsers always send Origin on an upgrade; a foreign one → 403.
   */
  WS_ALLOWED_ORIGINS: Type.String({ default: '' }),
  /** How long shutdown waits for clients to acknowledge the close frame before terminating them. */
  WS_CLOSE_GRACE_MS: Type.Integer({ default: 1_000, minimum: 0 }),
  // GraphQL (/graphql) — see docs/graphql.md.
  /** Default of the switch; the catalogue key features.graphql (true/false) overrides it live. */
  GRAPHQL_ENABLED: Type.Boolean({ default: true }),
  /** Deepest selection nesting a document may have (GRAPHQL_TOO_DEEP beyond). */
  GRAPHQL_MAX_DEPTH: Type.Integer({ default: 8, minimum: 2, maximum: 50 }),
  /** Cost a document may have: 1 per field, lists × `first` (GRAPHQL_TOO_COMPLEX beyond). */
  GRAPHQL_MAX_COMPLEXITY: Type.Integer({ default: 5000, minimum: 10 }),
  /** Bytes of the query document, refused before parsing (GRAPHQL_QUERY_TOO_LARGE beyond). */
  GRAPHQL_MAX_QUERY_BYTES: Type.Integer({ default: 16_384, minimum: 256 }),
  /** Retry period of the features.graphql fetch while admin is unreachable. */
  GRAPHQL_CONFIG_RETRY_MS: Type.Integer({ default: 5_000, minimum: 50 }),
  // Session "last active" (docs/sessions.md): recorded in Redis, at most once per interval per session.
  SESSION_ACTIVITY_THROTTLE_MS: Type.Integer({ default: 60_000, minimum: 0 }),
  /** Redis hash shared with auth (tests use their own). */
  SESSION_ACTIVITY_KEY: Type.String({ default: SESSION_ACTIVITY_KEY, minLength: 1 }),
};

export const loadGatewayConfig = (env?: Record<string, string | undefined>) => loadConfig('gateway', configProperties, env);
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
