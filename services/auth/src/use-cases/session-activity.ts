// "Last active" without a database write per request. The gateway records `sid → epoch ms` in a
// Redis hash (at most once a minute per session); here that hash is
//   - merged into session lists, so users see activity up to the minute, and
//   - flushed to sessions.last_active_at in batches: the hash is RENAMEd to a private key (atomic,
//     so with several auth replicas exactly one takes each batch; the gateway starts a new hash),
//     written with one UPDATE … FROM (VALUES …) per 1000 sessions, then deleted.
// If the database write fails the entries go back with HSETNX (a newer gateway write wins).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuthContext } from '../context.ts';
import { advanceLastActive } from '../repositories/sessions.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BATCH = 1_000;

function toDate(value: string | null | undefined): Date | undefined {
  const ms = Number(value);
  return value && Number.isFinite(ms) && ms > 0 ? new Date(ms) : undefined;
}

/** Activity recorded in Redis for these sessions and not yet flushed. */
export async function pendingActivity(redis: Redis, key: string, sessionIds: readonly string[]): Promise<Map<string, Date>> {
  const found = new Map<string, Date>();
  if (sessionIds.length === 0) return found;
  const values = await redis.hmget(key, ...sessionIds);
  sessionIds.forEach((id, i) => {
    const at = toDate(values[i]);
    if (at) found.set(id, at);
  });
  return found;
}

/** Flushes the activity hash to PostgreSQL; returns the number of sessions written. */
export async function flushSessionActivity(ctx: Pick<AuthContext, 'db' | 'redis' | 'config'>): Promise<number> {
  const key = ctx.config.SESSION_ACTIVITY_KEY;
  const batchKey = `${key}:flushing:${randomUUID()}`;
  try {
    await ctx.redis.rename(key, batchKey);
  } catch (err) {
    if (/no such key/i.test((err as Error).message)) return 0;
    throw err;
  }
  const raw = await ctx.redis.hgetall(batchKey);
  const entries = Object.entries(raw).flatMap(([id, value]) => {
    const at = toDate(value);
    return UUID.test(id) && at ? [{ id, at }] : [];
  });
  try {
    for (let i = 0; i < entries.length; i += BATCH) await advanceLastActive(ctx.db, entries.slice(i, i + BATCH));
  } catch (err) {
    const pipeline = ctx.redis.pipeline();
    for (const [id, value] of Object.entries(raw)) pipeline.hsetnx(key, id, value);
    await pipeline.exec();
    await ctx.redis.del(batchKey);
    throw err;
  }
  await ctx.redis.del(batchKey);
  return entries.length;
}

/** Runs the flush every `intervalMs` (and once more on stop). */
export function startSessionActivityFlusher(ctx: AuthContext, intervalMs: number) {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = flushSessionActivity(ctx)
      .then((n) => n && ctx.log.debug({ sessions: n }, 'session activity flushed'))
      .catch((err: unknown) => ctx.log.warn({ err }, 'session activity flush failed'));
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await tick();
    },
  };
}
