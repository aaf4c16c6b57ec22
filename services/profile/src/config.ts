// Profile service configuration: the only place this service reads the environment.
import { Type } from 'typebox';
import { loadConfig } from '@bank/kit';

export const configProperties = {
  PORT: Type.Integer({ default: 3004, minimum: 1, maximum: 65535 }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  RABBITMQ_URL: Type.String({ pattern: '^amqps?://', default: 'amqp://guest:guest@127.0.0.1:5672' }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** Name prefix of the hub's exchange/queues (tests isolate runs with it). */
  EVENTS_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9._-]*$' }),
  /** Auth's public keys; access tokens are verified here again (defence in depth). */
  AUTH_JWKS_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3001/auth/.well-known/jwks.json' }),
  /** How long a profile read stays cached; writes and auth.user.updated invalidate it at once. */
  PROFILE_CACHE_TTL_SECONDS: Type.Integer({ default: 300, minimum: 1, maximum: 86_400 }),
};

export const loadProfileConfig = (env?: Record<string, string | undefined>) => loadConfig('profile', configProperties, env);
export type ProfileConfig = ReturnType<typeof loadProfileConfig>;
