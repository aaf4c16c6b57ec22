// Admin service configuration: the only place this service reads the environment.
import { Type } from 'typebox';
import { loadConfig } from '@bank/kit';

const HttpUrl = (fallback: string) => Type.String({ pattern: '^https?://', default: fallback });

export const configProperties = {
  PORT: Type.Integer({ default: 3003, minimum: 1, maximum: 65535 }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  /** As the operator user `admin`: may read every dead-letter queue. */
  RABBITMQ_URL: Type.String({ pattern: '^amqps?://', default: 'amqp://guest:guest@127.0.0.1:5672' }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** Name prefix of the hub's exchange/queues (tests isolate runs with it). */
  EVENTS_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9._-]*$' }),
  AUTH_JWKS_URL: HttpUrl('http://127.0.0.1:3001/auth/.well-known/jwks.json'),
  AUTH_URL: HttpUrl('http://127.0.0.1:3001'),
  PAYMENTS_URL: HttpUrl('http://127.0.0.1:3002'),
  PROFILE_URL: HttpUrl('http://127.0.0.1:3004'),
  GATEWAY_URL: HttpUrl('http://127.0.0.1:3000'),
  /** Accepted for compatibility; queue figures come from passive declares (the plugin is off natively). */
  RABBITMQ_MANAGEMENT_URL: Type.Optional(Type.String()),
  /** How often the monitoring collector reads every service's /metrics (the page's resolution). */
  MONITORING_SCRAPE_INTERVAL_MS: Type.Integer({ default: 15_000, minimum: 1_000, maximum: 300_000 }),
  /**
   * Prometheus's base URL (Kubernetes). When set, the monitoring series come from its HTTP API
   * and the admin's own collector does not run.
   */
  PROMETHEUS_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Timeout of every call to another service (auth, payments, readiness probes). */
  UPSTREAM_TIMEOUT_MS: Type.Integer({ default: 3_000, minimum: 100, maximum: 60_000 }),
};

export const loadAdminConfig = (env?: Record<string, string | undefined>) => loadConfig('admin', configProperties, env);
export type AdminConfig = ReturnType<typeof loadAdminConfig>;
