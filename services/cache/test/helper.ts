// Real Redis on this machine; a namespace per test run, removed afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import client from 'prom-client';
import { createCache, type CacheOptions } from '../src/index.ts';

export const REDIS_URL = 'redis://127.0.0.1:6379';

export function testNamespace() {
  return `t-${randomBytes(5).toString('hex')}`;
}

export function redisClient(t: { teardown(fn: () => unknown): void }) {
  const redis = new Redis(REDIS_URL, { protocol: 2, maxRetriesPerRequest: 1 });
  t.teardown(() => redis.quit());
  return redis;
}

export function testCache(t: { teardown(fn: () => unknown): void }, opts: Partial<CacheOptions> = {}) {
  const redis = opts.redis ?? redisClient(t);
  const cache = createCache({ redis, namespace: opts.namespace ?? testNamespace(), ...opts });
  t.teardown(async () => {
    if (redis.status === 'ready') await cache.clear();
  });
  return { cache, redis };
}

export async function counterValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = client.register.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
    .reduce((sum, v) => sum + v.value, 0);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
