// A read-through Redis cache: `wrap(key, ttlSeconds, tags, loader)`.
//
// Invalidation uses per-tag *generations* rather than tag → key sets. Every tag has a generation
// key holding a random token; an entry stores the generations of its tags as they were read
// BEFORE its loader ran, and is valid only while they are unchanged. `invalidateTags` replaces
// the tokens (one SET per tag, O(1) whatever the number of entries). Why not sets of keys:
//   - no race: a loader that read the database just before a write commits stamps its entry with
//     the pre-write generation, so the entry is dead on arrival instead of stale for its TTL;
//   - no unbounded sets to maintain or to clean when entries expire.
// Tokens are random (not counters) so a generation key that expired can never come back with a
// value some old entry was stamped with; generation keys outlive the longest entry TTL.
//
// Stampede protection (single flight), two levels:
//   - in process: concurrent wraps of one key share one promise;
//   - across replicas: a short Redis lock (SET NX PX); only its holder runs the loader, the
//     others poll the entry until it appears, the lock disappears (holder failed → they compete
//     again) or `waitTimeoutMs` passes (then they load themselves: availability over strictness).
//
// Redis failures never fail a read: the loader's value is returned uncached (cache_errors_total).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { assertKey, assertNamespace, assertTagNames, assertTags, redisKeys } from './keys.ts';
import { cacheMetrics } from './metrics.ts';
import { assertNoSecrets, CacheSecretError } from './secrets.ts';

export interface CacheLogger {
  warn(obj: object, msg: string): void;
}

export interface CacheOptions {
  redis: Redis;
  /** Per-service namespace (`payments`); every Redis key starts with `cache:<namespace>:`. */
  namespace: string;
  /** How long the cross-replica loader lock lives (default 5000 ms): bounds a crashed holder. */
  lockTtlMs?: number;
  /** How long a waiter polls before loading itself (default = lockTtlMs). */
  waitTimeoutMs?: number;
  /** Poll period of waiters (default 25 ms). */
  pollIntervalMs?: number;
  /** Longest TTL accepted (default 86400 s); generation keys live a bit longer than this. */
  maxTtlSeconds?: number;
  logger?: CacheLogger;
}

export interface Cache {
  readonly namespace: string;
  /** Cached value of `key`, or `loader()`'s (stored for `ttlSeconds`, invalidated by any of `tags`). */
  wrap<T>(key: string, ttlSeconds: number, tags: readonly string[], loader: () => Promise<T>): Promise<T>;
  /** Invalidates every entry carrying one of `tags`. Resolves false (and logs) if Redis failed. */
  invalidateTags(tags: readonly string[]): Promise<boolean>;
  /** Removes one entry. */
  delete(key: string): Promise<void>;
  /** Deletes every key of the namespace (tests, operations). */
  clear(): Promise<number>;
}

interface StoredEntry {
  /** Tags and their generations when the loader started. */
  g: string[];
  t: string[];
  d: unknown;
}

type ReadResult = { hit: true; value: unknown } | { hit: false; generations: string[] };

const MISSING = '';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deletes the lock only if we still hold it (its TTL may have passed and another replica taken it). */
const RELEASE_LOCK = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

class RedisUnavailable extends Error {}

export function createCache(opts: CacheOptions): Cache {
  assertNamespace(opts.namespace);
  const { redis, namespace } = opts;
  const keys = redisKeys(namespace);
  const lockTtlMs = opts.lockTtlMs ?? 5_000;
  const waitTimeoutMs = opts.waitTimeoutMs ?? lockTtlMs;
  const pollIntervalMs = opts.pollIntervalMs ?? 25;
  const maxTtlSeconds = opts.maxTtlSeconds ?? 86_400;
  const generationTtlSeconds = maxTtlSeconds + 3_600;
  const labels = { namespace };
  const inFlight = new Map<string, Promise<unknown>>();

  /** Runs a Redis call; any failure becomes RedisUnavailable (so it is told apart from the loader's). */
  async function io<T>(op: string, call: () => Promise<T>): Promise<T> {
    const stopTimer = cacheMetrics.duration.startTimer({ ...labels, op });
    try {
      return await call();
    } catch (err) {
      cacheMetrics.errors.inc({ ...labels, op });
      opts.logger?.warn({ err: { message: (err as Error).message }, namespace, op }, 'cache redis call failed');
      throw new RedisUnavailable((err as Error).message);
    } finally {
      stopTimer();
    }
  }

  /** A pipeline fails as a whole when any of its replies is an error. */
  async function execPipeline(op: string, pipeline: ReturnType<Redis['pipeline']>) {
    return io(op, async () => {
      const replies = await pipeline.exec();
      const failed = replies?.find(([err]) => err);
      if (!replies || failed) throw failed?.[0] ?? new Error('no reply');
      return replies;
    });
  }

  async function read(key: string, tags: readonly string[]): Promise<ReadResult> {
    const pipeline = redis.pipeline().get(keys.entry(key));
    if (tags.length > 0) pipeline.mget(...tags.map(keys.tag));
    const replies = await execPipeline('read', pipeline);
    const raw = replies[0]?.[1] as string | null;
    const generations = tags.length > 0 ? ((replies[1]?.[1] as Array<string | null>) ?? []).map((g) => g ?? MISSING) : [];
    if (raw === null) return { hit: false, generations };
    try {
      const entry = JSON.parse(raw) as StoredEntry;
      const sameTags = entry.g.length === tags.length && entry.g.every((tag, i) => tag === tags[i]);
      if (sameTags && entry.t.every((generation, i) => generation === generations[i])) return { hit: true, value: entry.d };
    } catch {
      // A corrupt entry is a miss; the loader's value overwrites it.
    }
    return { hit: false, generations };
  }

  async function store(key: string, ttlSeconds: number, tags: readonly string[], generations: string[], value: unknown) {
    if (value === undefined) return; // not representable in JSON: simply not cached
    const entry: StoredEntry = { g: [...tags], t: generations, d: value };
    await io('write', () => redis.set(keys.entry(key), JSON.stringify(entry), 'EX', ttlSeconds)).catch(() => undefined);
  }

  function checkValue(value: unknown) {
    try {
      assertNoSecrets(value);
    } catch (err) {
      if (err instanceof CacheSecretError) cacheMetrics.refused.inc(labels);
      throw err;
    }
  }

  async function loadAndStore<T>(key: string, ttlSeconds: number, tags: readonly string[], generations: string[] | undefined, loader: () => Promise<T>): Promise<T> {
    cacheMetrics.misses.inc(labels);
    const value = await loader();
    checkValue(value);
    if (generations) await store(key, ttlSeconds, tags, generations, value);
    return value;
  }

  async function resolve<T>(key: string, ttlSeconds: number, tags: readonly string[], loader: () => Promise<T>): Promise<T> {
    let generations: string[];
    let lockToken: string | undefined;
    try {
      const deadline = Date.now() + waitTimeoutMs;
      for (;;) {
        const first = await read(key, tags);
        if (first.hit) {
          cacheMetrics.hits.inc(labels);
          return first.value as T;
        }
        const token = randomBytes(12).toString('hex');
        const acquired = await io('lock', () => redis.set(keys.lock(key), token, 'PX', lockTtlMs, 'NX'));
        if (acquired === 'OK') {
          lockToken = token;
          // Double check: another replica may have stored the entry between our read and our lock.
          const second = await read(key, tags);
          if (second.hit) {
            cacheMetrics.hits.inc(labels);
            return second.value as T;
          }
          generations = second.generations;
          break;
        }
        // Someone else is loading: wait for their entry, or for their lock to go away.
        let lockGone = false;
        while (!lockGone && Date.now() < deadline) {
          await sleep(pollIntervalMs);
          const polled = await read(key, tags);
          if (polled.hit) {
            cacheMetrics.hits.inc(labels);
            return polled.value as T;
          }
          lockGone = (await io('lock', () => redis.exists(keys.lock(key)))) === 0;
        }
        if (!lockGone) {
          // Holder too slow: load ourselves rather than fail the request. The generations read
          // before loading are a safe stamp (an invalidation since then makes the entry dead).
          return await loadAndStore(key, ttlSeconds, tags, first.generations, loader);
        }
      }
    } catch (err) {
      if (!(err instanceof RedisUnavailable)) throw err;
      // Redis is down: serve from the source, cache nothing.
      return loadAndStore(key, ttlSeconds, tags, undefined, loader);
    }
    try {
      return await loadAndStore(key, ttlSeconds, tags, generations, loader);
    } finally {
      await io('unlock', () => redis.eval(RELEASE_LOCK, 1, keys.lock(key), lockToken!)).catch(() => undefined);
    }
  }

  return {
    namespace,
    wrap<T>(key: string, ttlSeconds: number, tags: readonly string[], loader: () => Promise<T>): Promise<T> {
      try {
        assertKey(key);
        assertTags(tags);
        if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxTtlSeconds) {
          throw new RangeError(`cache ttl must be an integer between 1 and ${maxTtlSeconds} seconds`);
        }
      } catch (err) {
        return Promise.reject(err as Error);
      }
      const existing = inFlight.get(key);
      if (existing) return existing as Promise<T>;
      const promise = resolve(key, ttlSeconds, tags, loader).finally(() => inFlight.delete(key));
      inFlight.set(key, promise);
      return promise;
    },

    async invalidateTags(tags: readonly string[]): Promise<boolean> {
      // No MAX_TAGS bound here: that limits what one entry carries, while a batch of writes (the
      // payments processor's) invalidates the tags of every payment it changed at once.
      assertTagNames(tags);
      if (tags.length === 0) return true;
      const pipeline = redis.pipeline();
      // One new token for every tag of this invalidation: each tag still gets a value it never
      // held, and a write invalidating four tags draws randomness once (it showed in the payments
      // profile, 1.5 % of its CPU, at four draws per create).
      const token = randomBytes(9).toString('base64url');
      for (const tag of tags) pipeline.set(keys.tag(tag), token, 'EX', generationTtlSeconds);
      try {
        await execPipeline('invalidate', pipeline);
        cacheMetrics.invalidations.inc(labels, tags.length);
        return true;
      } catch {
        return false;
      }
    },

    async delete(key: string): Promise<void> {
      assertKey(key);
      await redis.del(keys.entry(key));
    },

    async clear(): Promise<number> {
      let removed = 0;
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', keys.pattern, 'COUNT', 500);
        cursor = next;
        if (found.length > 0) removed += await redis.del(...found);
      } while (cursor !== '0');
      return removed;
    },
  };
}
