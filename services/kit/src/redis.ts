// One ioredis client per service, closed in onClose; readiness pings it.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

export function createRedis(url: string, name: string): Redis {
  // RESP2: ioredis 6 defaults to RESP3, whose replies to Lua scripts differ.
  return new Redis(url, { connectionName: name, protocol: 2, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

async function redisPlugin(fastify: FastifyInstance, opts: { url: string; name: string }) {
  const redis = createRedis(opts.url, opts.name);
  redis.on('error', (err) => fastify.log.warn({ err: { message: err.message } }, 'redis error'));
  fastify.decorate('redis', redis);
  fastify.health.addCheck('redis', () => redis.ping());
  fastify.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
}

export const redis = fp(redisPlugin, { name: 'kit-redis', fastify: '5.x', dependencies: ['kit-health'] });
