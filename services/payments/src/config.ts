// Payments service configuration: the only place this service reads the environment.
import { Type } from 'typebox';
import { loadConfig } from '@bank/kit';

export const configProperties = {
  PORT: Type.Integer({ default: 3002, minimum: 1, maximum: 65535 }),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://' }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  RABBITMQ_URL: Type.String({ pattern: '^amqps?://', default: 'amqp://guest:guest@127.0.0.1:5672' }),
  /** auth's JWKS: access tokens are verified here too (never trust bare x-user-* headers). */
  AUTH_JWKS_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3001/auth/.well-known/jwks.json' }),
  MIGRATE_ON_START: Type.Boolean({ default: true }),
  /** Name prefix of the hub's exchange/queues (tests isolate runs with it). */
  EVENTS_PREFIX: Type.String({ default: '', pattern: '^[a-z0-9._-]*$' }),
  /** Simulated PSP: delay before each step (pending → processing, processing → outcome). */
  PROCESSOR_STEP_DELAY_MS: Type.Integer({ default: 1500, minimum: 0, maximum: 3_600_000 }),
  /** How often the processor looks for payments whose next step is due. */
  PROCESSOR_POLL_INTERVAL_MS: Type.Integer({ default: 250, minimum: 10, maximum: 60_000 }),
  /** Off: this replica neither consumes payments.payment.created nor takes processor steps. */
  PROCESSOR_ENABLED: Type.Boolean({ default: true }),
  /** Payments above this many major units fail at the processor with "limit exceeded". */
  PROCESSOR_LIMIT_MAJOR_UNITS: Type.Integer({ default: 1_000_000, minimum: 1 }),
  /** Admin service: the current configuration (catalogue keys) is read from its /internal/config. */
  ADMIN_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3003' }),
  /** How often each replica checks the shared configuration snapshot in Redis. */
  CONFIG_REFRESH_MS: Type.Integer({ default: 250, minimum: 10, maximum: 60_000 }),
  /** Retry period while admin could not be reached for the configuration. */
  CONFIG_RETRY_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 600_000 }),
  /** Due steps the processor takes per transaction (SKIP LOCKED: replicas share the work). */
  PROCESSOR_BATCH_SIZE: Type.Integer({ default: 100, minimum: 1, maximum: 1000 }),
  /** Off: this replica creates no scheduled/recurring occurrences (any number of replicas may run it). */
  SCHEDULER_ENABLED: Type.Boolean({ default: true }),
  /** How often the scheduler looks for due schedule occurrences. */
  SCHEDULER_INTERVAL_MS: Type.Integer({ default: 1000, minimum: 10, maximum: 60_000 }),
  /** Redis cache namespace (keys `cache:<ns>:…`) and TTLs of cached reads. */
  CACHE_NAMESPACE: Type.String({ default: 'payments', pattern: '^[a-z][a-z0-9-]{0,31}$' }),
  CACHE_LIST_TTL_SECONDS: Type.Integer({ default: 30, minimum: 1, maximum: 3600 }),
  CACHE_ITEM_TTL_SECONDS: Type.Integer({ default: 60, minimum: 1, maximum: 3600 }),
  /** An Idempotency-Key is remembered this long; a replay after that makes a new payment. */
  IDEMPOTENCY_KEY_TTL_HOURS: Type.Integer({ default: 24, minimum: 1, maximum: 24 * 365 }),
};

export const loadPaymentsConfig = (env?: Record<string, string | undefined>) => loadConfig('payments', configProperties, env);
export type PaymentsConfig = ReturnType<typeof loadPaymentsConfig>;
