// The gateway's rate-limit counters: counted locally (no Redis round trip per request) and
// shared between replicas through Redis at each sync.
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { LOCAL_REDIS_URL } from '@bank/kit/testing';
import { createSyncedCounters, type SyncedCounters } from '../src/plugins/rate-limit-store.ts';

const WINDOW = 60_000;
const current = (counters: SyncedCounters, key: string) =>
  new Promise<number>((resolve, reject) => counters.incr(key, (err, r) => (err ? reject(err) : resolve(r.current)), WINDOW));

t.test('two replicas add up their counts at each sync', async (t) => {
  const redis = new Redis(LOCAL_REDIS_URL);
  const nameSpace = `test:rl:${randomBytes(4).toString('hex')}:`;
  const errors: unknown[] = [];
  const replica = () => createSyncedCounters({ redis, nameSpace, syncIntervalMs: 60_000, onError: (e) => errors.push(e) });
  const a = replica();
  const b = replica();
  t.teardown(async () => {
    await a.close();
    await b.close();
    const keys = await redis.keys(`${nameSpace}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  for (const expected of [1, 2, 3]) t.equal(await current(a, 'user:u1'), expected, 'counted locally at once');
  t.equal(await current(b, 'user:u1'), 1, 'the other replica has not heard yet');
  await a.sync();
  await b.sync();
  t.equal(await current(b, 'user:u1'), 5, 'after syncing, b counts a’s three as well');
  t.equal(await current(a, 'user:u1'), 4, 'a learns b’s at its next sync');
  await a.sync();
  t.equal(await current(a, 'user:u1'), 6, 'now a has everyone’s');
  t.equal(await current(a, 'user:u2'), 1, 'keys are independent');
  const keys = await redis.keys(`${nameSpace}*`);
  t.equal(keys.length, 1, 'one Redis key per key and window');
  t.ok((await redis.pttl(keys[0]!)) > 0, 'it expires with its window');
  t.same(errors, []);
});

t.test('Redis unreachable: limiting continues with local counts, which are sent later', async (t) => {
  const down = new Redis('redis://127.0.0.1:9', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const errors: unknown[] = [];
  const counters = createSyncedCounters({ redis: down, nameSpace: 'test:rl:down:', syncIntervalMs: 60_000, onError: (e) => errors.push(e) });
  t.teardown(async () => {
    await counters.close();
    down.disconnect();
  });
  t.equal(await current(counters, 'ip:1.2.3.4'), 1);
  await counters.sync();
  t.equal(await current(counters, 'ip:1.2.3.4'), 2, 'nothing lost while Redis is down');
  t.ok(errors.length >= 1, 'the failed sync is reported');
});
