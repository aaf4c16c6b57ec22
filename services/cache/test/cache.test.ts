// wrap / invalidateTags / single flight against the real Redis (a namespace per run).
import t from 'tap';
import { Redis } from 'ioredis';
import client from 'prom-client';
import { CacheKeyError, CacheSecretError, createCache } from '../src/index.ts';
import { counterValue, redisClient, sleep, testCache, testNamespace } from './helper.ts';

t.test('miss runs the loader and stores; hit serves from Redis; metrics count both', async (t) => {
  const { cache, redis } = testCache(t);
  const labels = { namespace: cache.namespace };
  let calls = 0;
  const loader = async () => ({ n: ++calls, amount: 1234, currency: 'EUR' });
  t.same(await cache.wrap('payment:1', 60, ['user:1'], loader), { n: 1, amount: 1234, currency: 'EUR' });
  t.same(await cache.wrap('payment:1', 60, ['user:1'], loader), { n: 1, amount: 1234, currency: 'EUR' });
  t.equal(calls, 1, 'loader ran once');
  t.equal(await counterValue('cache_misses_total', labels), 1);
  t.equal(await counterValue('cache_hits_total', labels), 1);
  const readTimings = (await client.register.getSingleMetric('cache_operation_duration_seconds')!.get()).values
    .filter((v) => v.labels.namespace === cache.namespace && v.labels.op === 'read' && (v as { metricName?: string }).metricName === 'cache_operation_duration_seconds_count');
  t.ok(readTimings.length === 1 && readTimings[0]!.value >= 2, 'every Redis read is timed (cache_operation_duration_seconds{op="read"})');
  t.equal(await redis.exists(`cache:${cache.namespace}:e:payment:1`), 1, 'entry stored under the namespace');
  const ttl = await redis.ttl(`cache:${cache.namespace}:e:payment:1`);
  t.ok(ttl > 50 && ttl <= 60, `ttl set (${ttl})`);
  t.equal(await cache.wrap('nothing', 60, [], async () => null), null, 'null is a cacheable value');
  t.equal(await cache.wrap('nothing', 60, [], async () => 'other'), null, 'and is served as a hit');
});

t.test('entries expire after their TTL', async (t) => {
  const { cache } = testCache(t);
  let calls = 0;
  await cache.wrap('short', 1, [], async () => ++calls);
  t.equal(await cache.wrap('short', 1, [], async () => ++calls), 1);
  await sleep(1_200);
  t.equal(await cache.wrap('short', 1, [], async () => ++calls), 2, 'reloaded after expiry');
});

t.test('invalidateTags takes more tags than an entry may carry (a batch of writes) in one call', async (t) => {
  const { cache } = testCache(t);
  let calls = 0;
  await cache.wrap('payment:40', 60, ['payment:40', 'user:40'], async () => ++calls);
  const tags = Array.from({ length: 50 }, (_, i) => `payment:${i}`);
  t.equal(await cache.invalidateTags(tags), true);
  t.equal(await cache.wrap('payment:40', 60, ['payment:40', 'user:40'], async () => ++calls), 2, 'the entry of one of them is gone');
  await t.rejects(cache.invalidateTags([...tags, 'bad tag']), CacheKeyError, 'each name is still checked');
});

t.test('invalidateTags drops every entry carrying a tag and only those', async (t) => {
  const { cache } = testCache(t);
  const loads: string[] = [];
  const load = (key: string) => async () => {
    loads.push(key);
    return `${key}@${loads.length}`;
  };
  await cache.wrap('a', 60, ['user:1', 'payment:9'], load('a'));
  await cache.wrap('b', 60, ['user:1'], load('b'));
  await cache.wrap('c', 60, ['user:2'], load('c'));
  t.equal(await cache.invalidateTags(['user:1']), true);
  t.equal(await counterValue('cache_invalidations_total', { namespace: cache.namespace }), 1, 'cache_invalidations_total counts the tag');
  await cache.wrap('a', 60, ['user:1', 'payment:9'], load('a'));
  await cache.wrap('b', 60, ['user:1'], load('b'));
  await cache.wrap('c', 60, ['user:2'], load('c'));
  t.same(loads, ['a', 'b', 'c', 'a', 'b'], 'user:1 entries reloaded, user:2 kept');
  await cache.invalidateTags(['payment:9']);
  await cache.wrap('a', 60, ['user:1', 'payment:9'], load('a'));
  await cache.wrap('b', 60, ['user:1'], load('b'));
  t.same(loads.slice(5), ['a'], 'second tag of an entry invalidates it too');
  t.equal(await cache.invalidateTags([]), true, 'no tags is a no-op');
});

t.test('an invalidation during a load makes that load dead on arrival (no stale entry)', async (t) => {
  const { cache } = testCache(t);
  let calls = 0;
  await cache.wrap('race', 60, ['user:7'], async () => {
    calls++;
    await cache.invalidateTags(['user:7']); // a write committed while we were reading
    return 'old';
  });
  t.equal(await cache.wrap('race', 60, ['user:7'], async () => (calls++, 'new')), 'new');
  t.equal(calls, 2);
});

t.test('a different tag list for the same key is a miss (entries are checked against their own tags)', async (t) => {
  const { cache } = testCache(t);
  await cache.wrap('k', 60, ['x'], async () => 1);
  t.equal(await cache.wrap('k', 60, ['y'], async () => 2), 2);
});

t.test('single flight: concurrent loaders in one process run once', async (t) => {
  const { cache } = testCache(t);
  let calls = 0;
  const loader = async () => {
    calls++;
    await sleep(100);
    return { v: 42 };
  };
  const results = await Promise.all(Array.from({ length: 20 }, () => cache.wrap('hot', 60, ['t'], loader)));
  t.equal(calls, 1);
  t.ok(results.every((r) => r.v === 42));
});

t.test('single flight across replicas: the Redis lock lets one of several caches load', async (t) => {
  const namespace = testNamespace();
  const replicas = Array.from({ length: 4 }, () => testCache(t, { namespace, redis: redisClient(t) }).cache);
  let calls = 0;
  const loader = async () => {
    calls++;
    await sleep(200);
    return 'value';
  };
  const results = await Promise.all(replicas.flatMap((cache) => Array.from({ length: 5 }, () => cache.wrap('hot', 60, [], loader))));
  t.equal(calls, 1, 'one load for 4 replicas × 5 concurrent callers');
  t.ok(results.every((r) => r === 'value'));
  t.equal(await counterValue('cache_hits_total', { namespace }), 3, 'the other replicas were served the stored entry');
});

t.test('when the lock holder fails, waiters compete again instead of waiting for the timeout', async (t) => {
  const namespace = testNamespace();
  const one = testCache(t, { namespace, redis: redisClient(t) }).cache;
  const two = testCache(t, { namespace, redis: redisClient(t) }).cache;
  const failing = one.wrap('flaky', 60, [], async () => {
    await sleep(100);
    throw new Error('database down');
  });
  await sleep(20);
  const started = Date.now();
  const waiting = two.wrap('flaky', 60, [], async () => 'recovered');
  await t.rejects(failing, { message: 'database down' }, 'the loader error reaches its caller');
  t.equal(await waiting, 'recovered');
  t.ok(Date.now() - started < 2_000, 'did not wait for the lock timeout');
});

t.test('a waiter whose lock holder hangs loads itself after waitTimeoutMs', async (t) => {
  const namespace = testNamespace();
  const one = testCache(t, { namespace, redis: redisClient(t), lockTtlMs: 5_000 }).cache;
  const two = testCache(t, { namespace, redis: redisClient(t), waitTimeoutMs: 200 }).cache;
  const slow = one.wrap('slow', 60, [], async () => {
    await sleep(800);
    return 'slow';
  });
  await sleep(20);
  t.equal(await two.wrap('slow', 60, [], async () => 'impatient'), 'impatient');
  t.equal(await slow, 'slow');
});

t.test('invalid keys, tags, namespaces and TTLs are rejected before Redis', async (t) => {
  const { cache } = testCache(t);
  const loader = async () => 1;
  for (const key of ['', 'has space', 'glob*', 'x'.repeat(201), 'new\nline', 'ünicode', 'a{b}']) {
    await t.rejects(cache.wrap(key, 60, [], loader), CacheKeyError, JSON.stringify(key.slice(0, 20)));
  }
  await t.rejects(cache.wrap('ok', 60, ['bad tag'], loader), CacheKeyError);
  await t.rejects(cache.wrap('ok', 60, Array.from({ length: 17 }, (_, i) => `t${i}`), loader), CacheKeyError);
  await t.rejects(cache.wrap('ok', 0, [], loader), RangeError);
  await t.rejects(cache.wrap('ok', 1.5, [], loader), RangeError);
  await t.rejects(cache.wrap('ok', 86_401, [], loader), RangeError);
  await t.rejects(cache.invalidateTags(['*']), CacheKeyError);
  t.throws(() => createCache({ redis: new Redis({ lazyConnect: true }), namespace: 'Bad Namespace' }), CacheKeyError);
  t.equal(await cache.wrap('x'.repeat(200), 60, [], loader), 1, 'exactly the maximum length is fine');
});

t.test('secrets are never cached: secret-named keys, secret fields and secret-shaped values throw', async (t) => {
  const { cache, redis } = testCache(t);
  const before = await redis.keys(`cache:${cache.namespace}:*`);
  await t.rejects(cache.wrap('user:1:token', 60, [], async () => 'x'), CacheSecretError, 'key segment named token');
  await t.rejects(cache.wrap('user:1', 60, ['refreshToken'], async () => 'x'), CacheSecretError, 'tag named like a secret');
  await t.rejects(cache.wrap('user:1', 60, [], async () => ({ id: 1, passwordHash: '$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA' })), CacheSecretError);
  await t.rejects(cache.wrap('user:2', 60, [], async () => ({ session: { accessToken: 'opaque' } })), CacheSecretError);
  await t.rejects(cache.wrap('user:3', 60, [], async () => ({ note: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' })), CacheSecretError);
  const after = await redis.keys(`cache:${cache.namespace}:e:*`);
  t.same(after, before.filter((k) => k.includes(':e:')), 'nothing was stored');
  t.equal(await redis.exists(`cache:${cache.namespace}:l:user:1`), 0, 'the loader lock was released');
});

t.test('Redis down: reads fall back to the loader, invalidation reports failure', async (t) => {
  const dead = new Redis('redis://127.0.0.1:1', { protocol: 2, maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
  dead.on('error', () => {});
  const warnings: object[] = [];
  const cache = createCache({ redis: dead, namespace: testNamespace(), logger: { warn: (obj) => void warnings.push(obj) } });
  let calls = 0;
  t.equal(await cache.wrap('k', 60, ['t'], async () => ++calls), 1);
  t.equal(await cache.wrap('k', 60, ['t'], async () => ++calls), 2, 'nothing cached, loader used each time');
  t.equal(await cache.invalidateTags(['t']), false);
  t.ok(warnings.length >= 3, 'each failure logged');
  t.ok((await counterValue('cache_errors_total', { namespace: cache.namespace })) >= 3);
  dead.disconnect();
});

t.test('delete and clear remove entries', async (t) => {
  const { cache, redis } = testCache(t);
  await cache.wrap('one', 60, ['t'], async () => 1);
  await cache.wrap('two', 60, ['t'], async () => 2);
  await cache.delete('one');
  t.equal(await cache.wrap('one', 60, ['t'], async () => 11), 11);
  await cache.invalidateTags(['t']);
  t.ok((await cache.clear()) >= 3, 'entries and generation keys removed');
  t.same(await redis.keys(`cache:${cache.namespace}:*`), []);
});
