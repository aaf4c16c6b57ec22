// Redis caching of reads (hit, then invalidation on every write) and HTTP caching (ETag/304).
import t from 'tap';
import { prom } from '@bank/kit';
import { buildPayments, pay, registerUser } from './helper.ts';

const counter = async (name: string, namespace: string) =>
  ((await prom.register.getSingleMetric(name)?.get())?.values ?? []).filter((v) => v.labels.namespace === namespace).reduce((s, v) => s + v.value, 0);

t.test('cached reads', async (t) => {
  const app = await buildPayments(t);
  const { namespace } = app.testRun;
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const admin = await registerUser(app, 'ADMIN', 'admin');
  const hits = () => counter('cache_hits_total', namespace);
  const misses = () => counter('cache_misses_total', namespace);

  t.test('list: miss, hit, then a write by the other party invalidates it', async (t) => {
    await pay(app, alice, bob, { amount: 100 });
    const m0 = await misses();
    const h0 = await hits();
    const first = await app.inject({ url: '/payments', headers: alice.headers });
    t.equal(await misses(), m0 + 1, 'first read is a miss');
    const second = await app.inject({ url: '/payments', headers: alice.headers });
    t.equal(await hits(), h0 + 1, 'second read is a hit');
    t.same(second.json(), first.json());
    t.ok((await app.redis.keys(`cache:${namespace}:e:list:${alice.id}:*`)).length >= 1, 'entry stored under the namespace');
    await pay(app, bob, alice, { amount: 200 }); // alice is the recipient of this write
    const third = await app.inject({ url: '/payments', headers: alice.headers });
    t.equal(await misses(), m0 + 2, 'invalidated by the write');
    t.same(third.json().items.map((p: { amount: number }) => p.amount), [200, 100]);
  });

  t.test('single payment: hit, then cancel invalidates (status never stale)', async (t) => {
    const payment = await pay(app, alice, bob, { amount: 300 });
    await app.inject({ url: `/payments/${payment.id}`, headers: alice.headers });
    const h0 = await hits();
    const cachedRead = await app.inject({ url: `/payments/${payment.id}`, headers: bob.headers });
    t.equal(await hits(), h0 + 1, 'the recipient is served the same entry');
    t.equal(cachedRead.json().status, 'pending');
    await app.inject({ method: 'POST', url: `/payments/${payment.id}/cancel`, headers: alice.headers });
    t.equal((await app.inject({ url: `/payments/${payment.id}`, headers: bob.headers })).json().status, 'cancelled');
    const stranger = await registerUser(app, 'CUSTOMER', 'stranger');
    t.equal((await app.inject({ url: `/payments/${payment.id}`, headers: stranger.headers })).statusCode, 404, 'a cached entry is still access-checked');
  });

  t.test('admin list and stats are invalidated by any write', async (t) => {
    const before = (await app.inject({ url: '/payments/stats', headers: admin.headers })).json();
    await app.inject({ url: '/payments/stats', headers: admin.headers });
    await pay(app, alice, bob, { amount: 400, currency: 'GBP' });
    const after = (await app.inject({ url: '/payments/stats', headers: admin.headers })).json();
    t.not(JSON.stringify(after), JSON.stringify(before));
    t.match(after.byCurrency, [{ currency: 'EUR' }, { currency: 'GBP', count: 1, amount: '400' }]);
  });

  t.test('a value the cache refuses (token-like description) is served uncached, not a 500', async (t) => {
    const jwtLike = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const payment = await pay(app, alice, bob, { amount: 500, description: jwtLike });
    const res = await app.inject({ url: `/payments/${payment.id}`, headers: alice.headers });
    t.equal(res.statusCode, 200);
    t.equal(res.json().description, jwtLike);
    t.equal(await app.redis.exists(`cache:${namespace}:e:payment:${payment.id}`), 0, 'not stored');
  });

  t.test('HTTP: private, no-cache with an ETag; If-None-Match → 304; writes are no-store', async (t) => {
    const res = await app.inject({ url: '/payments', headers: alice.headers });
    t.equal(res.headers['cache-control'], 'private, no-cache');
    const etag = res.headers.etag as string;
    t.match(etag, /^"[\w-]+"$/);
    const again = await app.inject({ url: '/payments', headers: { ...alice.headers, 'if-none-match': etag } });
    t.equal(again.statusCode, 304);
    t.equal(again.body, '');
    const other = await app.inject({ url: '/payments', headers: { ...alice.headers, 'if-none-match': '"stale"' } });
    t.equal(other.statusCode, 200);
    const error = await app.inject({ url: '/payments/not-a-uuid', headers: alice.headers });
    t.equal(error.headers['cache-control'], 'no-store');
  });
});

t.test('service surface: OpenAPI document, metrics, readiness', async (t) => {
  const app = await buildPayments(t);
  const doc = await app.inject({ url: '/payments/openapi.json' });
  t.equal(doc.statusCode, 200);
  const paths = Object.keys(doc.json().paths);
  for (const p of ['/payments/', '/payments/{id}', '/payments/{id}/cancel', '/payments/stats']) t.ok(paths.includes(p), p);
  t.notOk(paths.some((p) => p.startsWith('/health')), 'internal routes hidden');
  const metrics = await app.inject({ url: '/metrics' });
  for (const name of ['payments_created_total', 'payments_amount_minor_total', 'payments_failed_total', 'cache_hits_total', 'cache_misses_total']) {
    t.match(metrics.body, name, name);
  }
  const ready = await app.inject({ url: '/health/ready' });
  t.equal(ready.statusCode, 200, ready.body);
  t.match(ready.json().checks, { postgres: { status: 'up' }, redis: { status: 'up' }, rabbitmq: { status: 'up' } });
});
