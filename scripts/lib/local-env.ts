// Reads the runner's settings from the environment (the only place the scripts do).
import { resolve } from 'node:path';

const env = process.env;
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const RUN_DIR = resolve(env.RUN_DIR ?? `${REPO_ROOT}/.run`);

export const settings = {
  pgAdminUrl: env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  pgHost: env.PG_HOST ?? '127.0.0.1',
  pgPort: Number(env.PG_PORT ?? 5432),
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitHost: env.RABBITMQ_HOST ?? '127.0.0.1',
  rabbitPort: Number(env.RABBITMQ_PORT ?? 5672),
  rabbitManagementUrl: env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672',
  httpsPort: Number(env.HTTPS_PORT ?? 8443),
  httpPort: Number(env.HTTP_PORT ?? 8080),
  // nginx per-IP limits (DESIGN.md §4); raise them for load tests.
  apiRate: env.NGINX_API_RATE ?? '100r/m',
  apiBurst: Number(env.NGINX_API_BURST ?? 20),
  authRate: env.NGINX_AUTH_RATE ?? '10r/m',
  authBurst: Number(env.NGINX_AUTH_BURST ?? 5),
  logLevel: env.LOG_LEVEL ?? 'info',
  /** Start only these services (comma-separated), e.g. while one is being worked on. */
  onlyServices: env.PLATFORM_SERVICES ? env.PLATFORM_SERVICES.split(',').map((s) => s.trim()) : undefined,
  /** Extra env passed to every service (e.g. GATEWAY_RATE_LIMIT_MAX for tests). */
  gatewayRateLimitMax: env.GATEWAY_RATE_LIMIT_MAX,
  /**
   * The gateway's tunnel DSN without /config.json's (BROWSER_SENTRY_DSN sets both): the e2e run
   * turns the tunnel on while the browser loads no Sentry unless a test gives it a DSN.
   */
  gatewayBrowserSentryDsn: env.GATEWAY_BROWSER_SENTRY_DSN,
  paymentsProcessorDelayMs: env.PROCESSOR_STEP_DELAY_MS,
  /** The legacy migration tool's databases (docs/migration.md); unset targets: the native ones. */
  legacyMigration: {
    source: env.LEGACY_DATABASE_URL,
    auth: env.AUTH_DATABASE_URL,
    payments: env.PAYMENTS_DATABASE_URL,
    admin: env.ADMIN_DATABASE_URL,
    profile: env.PROFILE_DATABASE_URL,
  },
  /** Sign-in failures one address may make before it is slowed down (tests: every client is 127.0.0.1). */
  loginThrottleFreePerAddress: env.LOGIN_THROTTLE_FREE_PER_ADDRESS,
};
