// A dependency that is down is the platform's problem, not the caller's bug: requests that fail
// because PostgreSQL or Redis cannot be reached answer 503 with a stable code (and Retry-After)
// instead of 500, quickly (drivers are set to fail fast: see db.ts and redis.ts). This module only
// classifies errors; the central handler (errors.ts) turns a classified one into the problem body.
export type Dependency = 'postgres' | 'redis';

export interface DependencyFailure {
  dependency: Dependency | 'unknown';
  status: 503;
  code: 'DATABASE_UNAVAILABLE' | 'REDIS_UNAVAILABLE' | 'DEPENDENCY_UNAVAILABLE';
  title: string;
}

const FAILURES: Record<DependencyFailure['dependency'], DependencyFailure> = {
  postgres: { dependency: 'postgres', status: 503, code: 'DATABASE_UNAVAILABLE', title: 'Database unavailable' },
  redis: { dependency: 'redis', status: 503, code: 'REDIS_UNAVAILABLE', title: 'Session store unavailable' },
  unknown: { dependency: 'unknown', status: 503, code: 'DEPENDENCY_UNAVAILABLE', title: 'A dependency is unavailable' },
};

/** Socket-level errors: the peer is gone, refusing, or unreachable. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** postgres.js's own connection error codes. */
const POSTGRES_JS_CODES = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
/**
 * SQLSTATEs meaning "this database cannot serve you now": admin/crash shutdown, starting up, too
 * many connections, database gone or not accepting connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '3D000']);
/** Errors raised while a connection is being set up (authentication, database checks). */
const CONNECTION_ROUTINES = new Set(['InitPostgres', 'CheckMyDatabase', 'ClientAuthentication', 'auth_failed', 'ProcessStartupPacket']);
/** ioredis fails fast with these when offline (enableOfflineQueue: false), out of retries or timed out. */
const REDIS_MESSAGES = /enableOfflineQueue options is false|Connection is closed|Command timed out|Reached the max retries per request limit/;

/** Ports of the dependencies this process talks to, registered by the db and redis plugins. */
const endpoints = new Map<number, Dependency>();

export function registerDependencyEndpoint(dependency: Dependency, url: string, defaultPort: number): void {
  try {
    const port = Number(new URL(url).port || defaultPort);
    if (Number.isInteger(port) && port > 0) endpoints.set(port, dependency);
  } catch {
    // An unparsable URL fails at connect time and is classified by code anyway.
  }
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  port?: unknown;
  routine?: unknown;
  cause?: unknown;
  errors?: unknown;
  constructor?: { name?: string };
}

function classifyOne(error: ErrorLike): DependencyFailure | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const name = error.constructor?.name ?? (typeof error.name === 'string' ? error.name : '');
  if (name === 'PostgresError') {
    if (code && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code))) return FAILURES.postgres;
    if (code === '55000' && /not currently accepting connections/.test(String(error.message))) return FAILURES.postgres;
    if (typeof error.routine === 'string' && CONNECTION_ROUTINES.has(error.routine)) return FAILURES.postgres;
    return undefined;
  }
  if (code && POSTGRES_JS_CODES.has(code)) return FAILURES.postgres;
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(String(error.message ?? ''))) return FAILURES.redis;
  if (code && NETWORK_CODES.has(code)) {
    const dependency = typeof error.port === 'number' ? endpoints.get(error.port) : undefined;
    return FAILURES[dependency ?? 'unknown'];
  }
  return undefined;
}

/**
 * Whether `error` (or what it wraps: Drizzle's DrizzleQueryError → the driver's error,
 * AggregateError → each attempt) means a dependency is unavailable, and which.
 */
export function dependencyFailure(error: unknown, depth = 0): DependencyFailure | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as ErrorLike;
  const direct = classifyOne(e);
  if (direct) return direct;
  if (e.cause) {
    const fromCause = dependencyFailure(e.cause, depth + 1);
    if (fromCause) return fromCause;
  }
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = dependencyFailure(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
