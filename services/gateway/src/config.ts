// Gateway configuration: the only place the gateway reads the environment.
import { Type } from 'typebox';
import { loadConfig } from '@bank/kit';

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
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  UPSTREAM_CONNECT_TIMEOUT_MS: Type.Integer({ default: 2_000, minimum: 100 }),
  UPSTREAM_CONNECTIONS: Type.Integer({ default: 64, minimum: 1 }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1_048_576, minimum: 1024 }),
};

export const loadGatewayConfig = (env?: Record<string, string | undefined>) => loadConfig('gateway', configProperties, env);
export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
