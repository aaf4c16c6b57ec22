// "Last active" without a database write per request: the gateway records `sid → epoch ms` in a
// Redis hash shared with auth, at most once per `throttleMs` per session per process (an in-memory
// map remembers what was written). Auth merges the hash when listing sessions and flushes it to
// PostgreSQL in batches (docs/sessions.md). Best effort: a failed write only loses an update.
import type { Redis } from 'ioredis';

export class SessionActivityRecorder {
  private readonly written = new Map<string, number>();
  private readonly redis: Redis;
  private readonly key: string;
  private readonly throttleMs: number;
  private readonly maxTracked: number;

  constructor(opts: { redis: Redis; key: string; throttleMs: number; maxTracked?: number }) {
    this.redis = opts.redis;
    this.key = opts.key;
    this.throttleMs = opts.throttleMs;
    this.maxTracked = opts.maxTracked ?? 100_000;
  }

  /** Records activity of `sid` now, unless this process already did within the throttle window. */
  touch(sid: string, now = Date.now()): boolean {
    const last = this.written.get(sid);
    if (last !== undefined && now - last < this.throttleMs) return false;
    if (this.written.size >= this.maxTracked) this.prune(now);
    this.written.set(sid, now);
    this.redis.hset(this.key, sid, String(now)).catch(() => this.written.delete(sid));
    return true;
  }

  /** Forgets entries older than the window (they would be written again anyway). */
  private prune(now: number): void {
    for (const [sid, at] of this.written) if (now - at >= this.throttleMs) this.written.delete(sid);
    // Still full (every entry recent): start over rather than grow without bound.
    if (this.written.size >= this.maxTracked) this.written.clear();
  }
}
