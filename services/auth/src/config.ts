// Auth service configuration: the only place this service reads the environment.
import { Type } from 'typebox';
import { loadConfig, SESSION_ACTIVITY_KEY } from '@bank/kit';

export const configProperties = {
  PORT: Type.Integer({ default: 3001, minimum: 1, maximum: 65535 }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  RABBITMQ_URL: Type.String({ pattern: '^amqps?://', default: 'amqp://guest:guest@127.0.0.1:5672' }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** Name prefix of the hub's exchange/queues (tests isolate runs with it). */
  EVENTS_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9._-]*$' }),
  /** ES256 private key (PKCS#8 PEM). Every auth replica must share it. */
  JWT_PRIVATE_KEY_FILE: Type.String({ minLength: 1 }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 600, minimum: 60, maximum: 3600 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 90 }),
  /** Secure cookies need HTTPS; off only for plain-HTTP local debugging. */
  COOKIE_SECURE: Type.Boolean({ default: true }),
  /**
   * Sign-in throttling (docs/sessions.md): attempts without delay per account+address and per
   * address, then waits of base × 2^n seconds capped at the maximum; counters forgotten after a
   * quiet period. No lockout.
   */
  LOGIN_THROTTLE_FREE_PER_ACCOUNT_ADDRESS: Type.Integer({ default: 5, minimum: 1 }),
  LOGIN_THROTTLE_FREE_PER_ADDRESS: Type.Integer({ default: 30, minimum: 1 }),
  LOGIN_THROTTLE_BASE_DELAY_SECONDS: Type.Integer({ default: 1, minimum: 1 }),
  LOGIN_THROTTLE_MAX_DELAY_SECONDS: Type.Integer({ default: 300, minimum: 1 }),
  LOGIN_THROTTLE_FORGET_AFTER_SECONDS: Type.Integer({ default: 86_400, minimum: 60 }),
  LOGIN_THROTTLE_ADDRESS_WINDOW_SECONDS: Type.Integer({ default: 900, minimum: 60 }),
  /**
   * Concurrent refreshes: a refresh token presented again within this many seconds of its
   * rotation, while its successor is unused, gets that same successor instead of revoking the
   * session (two tabs, a retry). 0 = strict reuse detection.
   */
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ default: 10, minimum: 0, maximum: 60 }),
  /** Redis hash of recent session activity written by the gateway (docs/sessions.md). */
  SESSION_ACTIVITY_KEY: Type.String({ default: SESSION_ACTIVITY_KEY, minLength: 1 }),
  /** How often that hash is flushed to sessions.last_active_at; 0 = never (tests flush by hand). */
  SESSION_ACTIVITY_FLUSH_INTERVAL_MS: Type.Integer({ default: 60_000, minimum: 0 }),
  SEED_DEMO_USERS: Type.Boolean({ default: false }),
  DEMO_ADMIN_EMAIL: Type.String({ default: 'admin@bank.local' }),
  DEMO_ADMIN_PASSWORD: Type.String({ default: 'Admin!Passw0rd', minLength: 12 }),
  DEMO_CUSTOMER_EMAIL: Type.String({ default: 'customer@bank.local' }),
  DEMO_CUSTOMER_PASSWORD: Type.String({ default: 'Customer!Passw0rd', minLength: 12 }),
};

export const loadAuthConfig = (env?: Record<string, string | undefined>) => loadConfig('auth', configProperties, env);
/**
 * What `migrate-cli.ts` needs: the database only. An SRE preparing databases (docs/migration.md)
 * has no signing key, and a migration never signs a token.
 */
export const loadAuthMigrationConfig = (env?: Record<string, string | undefined>) => loadConfig('auth', { DATABASE_URL: configProperties.DATABASE_URL }, env);
export type AuthConfig = ReturnType<typeof loadAuthConfig>;
