// Rate limits on Redis (shared by every gateway replica): per user when the request carries a
// verified token, else per client IP. nginx adds coarser per-IP limits in front.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';

async function limits(fastify: FastifyInstance, opts: { max: number; timeWindow: number }) {
  await fastify.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: opts.max,
    timeWindow: opts.timeWindow,
    redis: fastify.redis,
    nameSpace: 'gateway:rl:',
    // Redis down must not take the edge down: fail open and log.
    skipOnError: true,
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
