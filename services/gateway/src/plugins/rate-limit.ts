// Rate limits shared by every gateway replica: per user when the request carries a verified
// token, else per client IP. Counted locally and synchronised through Redis in the background
// (rate-limit-store.ts) — no Redis round trip per request. nginx adds coarser per-IP limits in front.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { createSyncedCounters } from './rate-limit-store.ts';

async function limits(fastify: FastifyInstance, opts: { max: number; timeWindow: number; syncIntervalMs: number }) {
  const counters = createSyncedCounters({
    redis: fastify.redis,
    nameSpace: 'gateway:rl:',
    syncIntervalMs: opts.syncIntervalMs,
    onError: (err) => fastify.log.warn({ err }, 'rate-limit counts not synchronised (Redis); limiting with this replica’s counts'),
  });
  fastify.addHook('onClose', () => counters.close());
  await fastify.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: opts.max,
    timeWindow: opts.timeWindow,
    // @fastify/rate-limit instantiates the store (and a child per route): every one is these counters.
    store: class {
      incr = counters.incr;
      read = counters.read;
      child() {
        return this;
      }
    } as never,
    keyGenerator: (request) => (request.user?.sub ? `user:${request.user.sub}` : `ip:${request.ip}`),
    // /graphql shares the /api budget (same key): one user, one allowance, whichever API.
    allowList: (request) => !request.url.startsWith('/api/') && !request.url.startsWith('/graphql'),
    errorResponseBuilder: (_request, context) => {
      const err = new Error(`Rate limit exceeded: ${context.max} requests per ${context.after}`) as Error & { statusCode: number };
      err.statusCode = 429;
      return err;
    },
  });
}

export const rateLimits = fp(limits, { name: 'gateway-rate-limit', dependencies: ['kit-redis'] });
