// One ioredis client per service, closed in onClose; readiness pings it.
// Fail fast when Redis is down: no offline queue once connected (a command while disconnected
// rejects at once instead of waiting for a reconnection), one retry, and a command timeout for a
// Redis that hangs.
// Callers then fail closed (token revocation check → 503 REDIS_UNAVAILABLE) or degrade (cache,
// rate limit) within milliseconds, never after ioredis's 10 s of queued retries.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { registerDependencyEndpoint } from './dependency-errors.ts';

/** How long a command may take before it rejects (a hung, not a stopped, Redis). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** How long start-up waits for the first connection; the service starts anyway (readiness says down). */
const REDIS_STARTUP_WAIT_MS = 5_000;

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

export function createRedis(url: string, name: string, opts: { commandTimeoutMs?: number } = {}): Redis {
  registerDependencyEndpoint('redis', url, 6379);
  const redis = new Redis(url, {
    connectionName: name,
    // RESP2: ioredis 6 defaults to RESP3, whose replies to Lua scripts differ.
    protocol: 2,
    // Queued only until the first connection (so callers need not wait for it; the command
    // timeout bounds the wait), then off for good: from then on "disconnected" means "fail now".
    enableOfflineQueue: true,
    maxRetriesPerRequest: 1,
    commandTimeout: opts.commandTimeoutMs ?? REDIS_COMMAND_TIMEOUT_MS,
    // Reconnect quickly (50 ms, 100 ms … capped at 1 s) so service resumes soon after Redis is back.
    retryStrategy: (times) => Math.min(times * 50, 1_000),
  });
  redis.once('ready', () => {
    redis.options.enableOfflineQueue = false;
  });
  return redis;
}

async function redisPlugin(fastify: FastifyInstance, opts: { url: string; name: string; commandTimeoutMs?: number }) {
  const redis = createRedis(opts.url, opts.name, opts);
  let lastErrorLog = 0;
  redis.on('error', (err) => {
    // Reconnection attempts fail every few ms while Redis is down: log at most once a second.
    if (Date.now() - lastErrorLog < 1_000) return;
    lastErrorLog = Date.now();
    fastify.log.warn({ err: { message: err.message } }, 'redis error');
  });
  // Start with a connection when Redis is there (readiness and the first requests need it).
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, REDIS_STARTUP_WAIT_MS);
    function onReady() {
      clearTimeout(timer);
      resolve(true);
    }
    if (redis.status === 'ready') onReady();
    else redis.once('ready', onReady);
  });
  // Fail fast from now on, connected or not (a Redis down at start-up must not queue requests).
  redis.options.enableOfflineQueue = false;
  if (!ready) fastify.log.warn({ url: redactUrl(opts.url) }, 'redis not reachable at start-up; continuing (readiness reports it)');
  fastify.decorate('redis', redis);
  fastify.health.addCheck('redis', () => redis.ping());
  fastify.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
}

export const redis = fp(redisPlugin, { name: 'kit-redis', fastify: '5.x', dependencies: ['kit-health'] });

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = 'redacted';
    return u.toString();
  } catch {
    return 'invalid url';
  }
}
