// The read cache: `wrap(key, ttl, tags, loader)` for reads, `invalidateTags` on writes — the API
// of the shared @bank/cache package (Redis, per-service namespace, stampede protection). The
// use-cases depend only on this small interface.
import { createCache } from '@bank/cache';
import type { Redis } from 'ioredis';

export interface ReadCache {
  wrap<T>(key: string, ttlSeconds: number, tags: string[], loader: () => Promise<T>): Promise<T>;
  invalidateTags(tags: string[]): Promise<unknown>;
}

export const profileCache = (redis: Redis, logger: { warn(obj: object, msg: string): void }): ReadCache =>
  createCache({ redis, namespace: 'profile', logger });

/** Cache key and tag of one user's profile. */
export const profileKey = (userId: string) => `profile:${userId}`;
export const userTag = (userId: string) => `user:${userId}`;
