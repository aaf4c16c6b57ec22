// A @fastify/rate-limit store that counts locally and shares the counts through Redis in the
// background: no Redis round trip on the request path (it was one per request, the Redis store's
// Lua script). Fixed windows aligned to the clock (every replica agrees on where a window starts);
// every `syncIntervalMs` the increments of the last interval go to Redis in one pipeline
// (INCRBY + PEXPIREAT per active key) and the totals that come back — every replica's requests in
// this window — become the local base. So a user is limited across replicas, overshooting by at
// most what the other replicas counted during one sync interval. Redis down: each replica keeps
// limiting with what it knows (logged), and catches up when Redis is back.
import type { Redis } from 'ioredis';

interface Counter {
  windowStart: number;
  windowMs: number;
  /** The window's total as Redis last reported it (every replica, our flushed increments included). */
  shared: number;
  /** Our increments not yet sent to Redis. */
  pending: number;
  /** The increments being sent right now (added to `shared` by the reply). */
  inFlight: number;
}

type Callback = (err: Error | null, result: { current: number; ttl: number }) => void;

export interface SyncedCounters {
  incr(key: string, cb: Callback, timeWindow: number): void;
  read(key: string, cb: Callback, timeWindow: number): void;
  /** Sends pending increments now (the timer calls it; tests too). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export function createSyncedCounters(opts: {
  redis: Redis;
  nameSpace: string;
  syncIntervalMs: number;
  /** Keys kept at most (oldest dropped first); a dropped key's next request starts from Redis' total at the next sync. */
  maxKeys?: number;
  onError: (err: unknown) => void;
}): SyncedCounters {
  const counters = new Map<string, Counter>();
  const maxKeys = opts.maxKeys ?? 100_000;
  let syncing: Promise<void> | undefined;

  function counter(key: string, windowMs: number, now: number): Counter {
    const windowStart = now - (now % windowMs);
    const id = `${key}:${windowMs}`;
    let c = counters.get(id);
    if (!c || c.windowStart !== windowStart) {
      c = { windowStart, windowMs, shared: 0, pending: 0, inFlight: 0 };
      counters.delete(id); // re-inserted last: Map order is the eviction order
      counters.set(id, c);
      if (counters.size > maxKeys) counters.delete(counters.keys().next().value!);
    }
    return c;
  }
  const result = (c: Counter, now: number) => ({ current: c.shared + c.inFlight + c.pending, ttl: c.windowStart + c.windowMs - now });

  async function flush() {
    const now = Date.now();
    const batch: Array<[string, Counter, number]> = [];
    for (const [id, c] of counters) {
      if (c.windowStart + c.windowMs <= now) {
        counters.delete(id);
        continue;
      }
      if (c.pending === 0) continue;
      batch.push([id, c, c.pending]);
      c.inFlight = c.pending;
      c.pending = 0;
    }
    if (batch.length === 0) return;
    const pipeline = opts.redis.pipeline();
    for (const [id, c, n] of batch) {
      const key = `${opts.nameSpace}${id}:${c.windowStart}`;
      pipeline.incrby(key, n);
      pipeline.pexpireat(key, c.windowStart + c.windowMs + 1_000);
    }
    try {
      const replies = (await pipeline.exec()) ?? [];
      let failure: unknown;
      batch.forEach(([, c, n], i) => {
        c.inFlight = 0;
        const [err, total] = replies[i * 2] ?? [new Error('no reply from Redis'), null];
        // On a failed INCRBY the increments stay ours, to be sent again.
        if (err) {
          c.pending += n;
          failure ??= err;
        } else c.shared = Number(total);
      });
      if (failure) opts.onError(failure);
    } catch (err) {
      for (const [, c, n] of batch) {
        c.inFlight = 0;
        c.pending += n;
      }
      opts.onError(err);
    }
  }

  const timer = setInterval(() => void sync(), opts.syncIntervalMs);
  timer.unref();

  function sync(): Promise<void> {
    syncing ??= flush().finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  return {
    incr(key, cb, timeWindow) {
      const now = Date.now();
      const c = counter(key, timeWindow, now);
      c.pending++;
      cb(null, result(c, now));
    },
    read(key, cb, timeWindow) {
      const now = Date.now();
      const c = counters.get(`${key}:${timeWindow}`);
      cb(null, c && c.windowStart + c.windowMs > now ? result(c, now) : { current: 0, ttl: 0 });
    },
    sync,
    async close() {
      clearInterval(timer);
      await sync();
    },
  };
}
