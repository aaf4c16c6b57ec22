// GET /admin/monitoring/series against real metrics: a Fastify app with the kit's metrics plugin
// (the same /metrics every service serves) stands for the other services and gets traffic and a
// 5xx; a real queue holds messages; browsers' web vitals come from the analytics table. Then the
// Prometheus mode against a local HTTP server answering query_range, and Prometheus down.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import t from 'tap';
import Fastify from 'fastify';
import { createEvent, declareTopology, queueNames } from '@bank/events';
import { metrics } from '@bank/kit';
import { bearer, buildAdmin, waitFor } from './helper.ts';

const REGISTERED = () =>
  createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId: randomUUID(), email: 'monitor@example.test', name: 'Monitor', role: 'CUSTOMER' } });

async function startMeteredService(t: { teardown(fn: () => unknown): void }) {
  const service = Fastify();
  await service.register(metrics, { service: 'stand-in' });
  service.get('/ok', async () => ({ ok: true }));
  service.get('/boom', async () => {
    throw new Error('provoked');
  });
  await service.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => service.close());
  return { service, url: `http://127.0.0.1:${(service.server.address() as AddressInfo).port}` };
}

t.test('monitoring series from the collector', async (t) => {
  const { service, url } = await startMeteredService(t);
  const { app, token, prefix, broker, publish } = await buildAdmin(t, {
    GATEWAY_URL: url,
    AUTH_URL: url,
    PAYMENTS_URL: url,
    PROFILE_URL: url,
    MONITORING_SCRAPE_INTERVAL_MS: '1000',
  });
  const admin = bearer(token());
  const series = async (query = '') => app.inject({ url: `/admin/monitoring/series${query}`, headers: admin });

  // payments' work queue, with nobody consuming: two messages wait there.
  await declareTopology(broker, { service: 'payments', types: ['auth.user.registered'], prefix });
  for (let i = 0; i < 2; i++) await publish(REGISTERED());
  const depth = async () => (await broker.queueDeclare({ queue: queueNames('payments', { prefix }).work, passive: true })).messageCount;
  await waitFor(async () => (await depth()) === 2, 'two messages in payments.events');

  // A browser's web vitals on two pages.
  const customer = bearer(token({ role: 'CUSTOMER' }));
  const vitals = [1000, 2000, 3000, 4000].map((value) => ({ name: 'web-vital.lcp', value, page: '/payments' }));
  t.equal((await app.inject({ method: 'POST', url: '/admin/analytics', headers: customer, payload: { events: [...vitals, { name: 'web-vital.cls', value: 0.1, page: '/' }] } })).statusCode, 202);

  // Traffic on the metered service while the collector scrapes every second.
  const body = await waitFor(async () => {
    for (let i = 0; i < 20; i++) await service.inject({ url: '/ok' });
    await service.inject({ url: '/boom' });
    const res = await series();
    const json = res.json();
    const gateway = json.services?.find((s: { name: string }) => s.name === 'gateway');
    return gateway?.requestRate.some((v: number | null) => v !== null && v > 0) && gateway.errorRate.some((v: number | null) => v !== null && v > 0) ? json : undefined;
  }, 'request and 5xx rates from the scrapes', 20_000, 500);

  t.equal(body.source, 'collector');
  t.equal(body.range, '15m');
  t.same(body.services.map((s: { name: string }) => s.name), ['gateway', 'auth', 'payments', 'admin', 'profile']);
  t.ok(body.timestamps.length >= 1, 'points over time');
  t.ok(body.timestamps.every((ts: number, i: number) => i === 0 || ts > body.timestamps[i - 1]), 'timestamps ascend');
  for (const s of body.services) for (const key of ['requestRate', 'errorRate', 'p50', 'p95', 'p99']) t.equal(s[key].length, body.timestamps.length, `${s.name}.${key} aligned`);
  const gateway = body.services[0];
  const lastP95 = gateway.p95.filter((v: number | null) => v !== null).at(-1);
  t.ok(lastP95 > 0 && lastP95 <= 10_000, `p95 from the histogram (${lastP95} ms)`);
  const payments = body.queues.find((q: { name: string }) => q.name === 'payments');
  t.equal(payments.depth.at(-1), 2, 'queue depth read from the broker');
  t.equal(payments.deadLetters.at(-1), 0);
  // In this one process every stand-in shares the admin's registry (its audit consumer counts as
  // "payments consuming"), so the lag is either stalled (null) or depth / rate — never 0 while 2 wait.
  t.not(payments.lagSeconds.at(-1), 0, 'messages waiting: not drained');
  t.same(body.webVitals, [
    { page: '/', name: 'web-vital.cls', count: 1, p75: 0.1 },
    { page: '/payments', name: 'web-vital.lcp', count: 4, p75: 3250 },
  ]);

  t.test('validation and access', async (t) => {
    for (const query of ['?range=2d', '?range=', '?other=1']) {
      const res = await series(query);
      t.equal(res.statusCode, 400, query);
      t.match(res.headers['content-type'], /application\/problem\+json/);
      t.equal(res.json().code, 'VALIDATION_FAILED');
    }
    t.equal((await series('?range=24h')).statusCode, 200, 'every range answers');
    t.equal((await app.inject({ url: '/admin/monitoring/series', headers: customer })).statusCode, 403, 'ADMIN only');
    t.equal((await app.inject({ url: '/admin/monitoring/series' })).statusCode, 401);
  });
});

t.test('monitoring series from Prometheus', async (t) => {
  const queries: string[] = [];
  const prometheus = Fastify();
  prometheus.get('/api/v1/query_range', async (request) => {
    const q = request.query as { query: string; start: string; end: string; step: string };
    queries.push(q.query);
    const start = Number(q.start);
    const step = Number(q.step);
    const at = (k: number) => start + k * step;
    const result = q.query.startsWith('sum by (service) (rate(http_requests_total[')
      ? [{ metric: { service: 'gateway' }, values: [[at(0), '4.5'], [at(1), '5']] }]
      : q.query.includes('rabbitmq_queue_messages')
        ? [{ metric: { queue: 'payments.events' }, values: [[at(1), '7']] }]
        : [];
    return { status: 'success', data: { resultType: 'matrix', result } };
  });
  await prometheus.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => prometheus.close());
  const prometheusUrl = `http://127.0.0.1:${(prometheus.server.address() as AddressInfo).port}`;

  const { app, token } = await buildAdmin(t, { PROMETHEUS_URL: prometheusUrl, EVENTS_PREFIX: '' });
  const res = await app.inject({ url: '/admin/monitoring/series?range=1h', headers: bearer(token()) });
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.equal(body.source, 'prometheus');
  t.equal(body.timestamps.length, 120, 'an hour at a 30 s step');
  t.equal(body.timestamps[1] - body.timestamps[0], 30);
  const gateway = body.services.find((s: { name: string }) => s.name === 'gateway');
  t.same(gateway.requestRate.slice(0, 3), [4.5, 5, null]);
  t.same(gateway.errorRate.slice(0, 3), [0, 0, null], 'no 5xx series while requests flow: zero, not a gap');
  t.equal(body.queues.find((q: { name: string }) => q.name === 'payments').depth[1], 7);
  t.ok(queries.some((q) => q.startsWith('histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket[')), 'p99 from the buckets');
  t.ok(queries.includes('sum(ws_connections_open)'));

  await prometheus.close();
  const down = await app.inject({ url: '/admin/monitoring/series', headers: bearer(token()) });
  t.equal(down.statusCode, 502, 'Prometheus unreachable');
  t.equal(down.json().code, 'ADMIN_PROMETHEUS_UNAVAILABLE');
});
