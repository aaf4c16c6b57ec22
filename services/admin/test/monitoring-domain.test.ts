// The monitoring maths without I/O: histogram quantiles, counter resets, the bounded history.
import t from 'tap';
import { bucketIncrease, histogramQuantile } from '../src/domain/monitoring/histogram-quantile.ts';
import { COARSE_SPAN_MS, COARSE_STEP_MS, MetricsHistory, type MetricsSnapshot } from '../src/domain/monitoring/history.ts';
import { sampleFromScrape, type ServiceSample } from '../src/domain/monitoring/scrape-sample.ts';
import { deriveSeries } from '../src/domain/monitoring/series.ts';

t.test('histogram quantile interpolates inside the bucket holding the rank', async (t) => {
  // 100 observations: 50 ≤ 0.1 s, 40 in (0.1, 0.5], 10 in (0.5, 1].
  const buckets = [[0.1, 50], [0.5, 90], [1, 100], [Infinity, 100]] as const;
  t.equal(histogramQuantile(0.5, buckets), 0.1);
  t.equal(histogramQuantile(0.75, buckets), 0.1 + 0.4 * (25 / 40));
  t.equal(histogramQuantile(0.95, buckets), 0.75);
  t.equal(histogramQuantile(0.99, [[0.1, 1], [Infinity, 10]]), 0.1, 'rank in +Inf → highest finite bound');
  t.equal(histogramQuantile(0.5, [[0.1, 0], [Infinity, 0]]), null, 'nothing observed');
  t.same(bucketIncrease([[0.1, 5], [Infinity, 8]], [[0.1, 7], [Infinity, 12]]), [[0.1, 2], [Infinity, 4]]);
  t.same(bucketIncrease([[0.1, 5], [Infinity, 8]], [[0.1, 1], [Infinity, 1]]), [[0.1, 1], [Infinity, 1]], 'a reset counts from zero');
});

t.test('a scrape is reduced to totals over every label set', async (t) => {
  const text = [
    '# TYPE http_requests_total counter',
    'http_requests_total{method="GET",route="/a",status_code="200",service="gateway"} 10',
    'http_requests_total{method="GET",route="/b",status_code="503",service="gateway"} 2',
    'http_requests_total{method="POST",route="/b",status_code="500",service="gateway"} 1',
    '# TYPE http_request_duration_seconds histogram',
    'http_request_duration_seconds_bucket{le="0.1",route="/a"} 9',
    'http_request_duration_seconds_bucket{le="+Inf",route="/a"} 10',
    'http_request_duration_seconds_sum{route="/a"} 0.5',
    'http_request_duration_seconds_count{route="/a"} 10',
    'http_request_duration_seconds_bucket{le="0.1",route="/b"} 1',
    'http_request_duration_seconds_bucket{le="+Inf",route="/b"} 3',
    'http_request_duration_seconds_sum{route="/b"} 2',
    'http_request_duration_seconds_count{route="/b"} 3',
    'events_outbox_lag_seconds{service="gateway",note="a \\"quoted\\" value, with a comma"} 2.5',
    'not a sample line',
    '# TYPE ws_connections_open gauge',
    'ws_connections_open 4',
    '# TYPE cache_hits_total counter',
    'cache_hits_total{namespace="a"} 3',
    'cache_hits_total{namespace="b"} 4',
    '',
  ].join('\n');
  const sample = sampleFromScrape(text);
  t.equal(sample.requests, 13);
  t.equal(sample.errors, 3, '5xx only');
  t.same(sample.latencyBuckets, [[0.1, 10], [Infinity, 13]]);
  t.equal(sample.wsConnections, 4);
  t.equal(sample.cacheHits, 7);
  t.equal(sample.payments, null, 'not the payments service');
  t.equal(sample.outboxLagSeconds, 2.5, 'escaped quotes and commas inside a label value');
});

const sample = (over: Partial<ServiceSample>): ServiceSample => ({
  requests: 0, errors: 0, latencyBuckets: [], eventsConsumed: 0, outboxLagSeconds: null, cacheHits: 0, cacheMisses: 0, wsConnections: null, payments: null, ...over,
});

t.test('series: rates per second between scrapes, resets, gaps', async (t) => {
  const snap = (at: number, gateway: ServiceSample | null, depth: number): MetricsSnapshot => ({ at, services: { gateway }, queues: { payments: { depth, deadLetters: 1, consumers: 1 } } });
  const series = deriveSeries(
    [
      snap(0, sample({ requests: 100, errors: 0, latencyBuckets: [[0.1, 100], [Infinity, 100]], cacheHits: 0, cacheMisses: 0 }), 0),
      snap(10_000, sample({ requests: 150, errors: 5, latencyBuckets: [[0.1, 140], [Infinity, 150]], cacheHits: 9, cacheMisses: 1, wsConnections: 3 }), 4),
      snap(20_000, sample({ requests: 20, errors: 0, latencyBuckets: [[0.1, 20], [Infinity, 20]] }), 0), // restarted
      snap(30_000, null, 0), // could not be scraped
    ],
    '15m',
    ['gateway'],
    ['payments'],
  );
  t.same(series.timestamps, [10, 20, 30]);
  const gateway = series.services[0]!;
  t.same(gateway.requestRate, [5, 2, null]);
  t.same(gateway.errorRate, [0.5, 0, null]);
  t.same(gateway.p50, [62.5, 50, null], 'ms, from the increase of the buckets');
  t.same(gateway.p99, [100, 99, null], 'in the +Inf bucket → highest finite bound; else interpolated');
  t.same(series.websocketConnections, [3, null, null]);
  t.same(series.cacheHitRatio, [0.9, null, null]);
  t.same(series.queues[0]!.depth, [4, 0, 0]);
  t.same(series.queues[0]!.lagSeconds, [null, 0, 0], 'waiting with nothing consumed: stalled (null); empty: 0');
});

t.test('history is bounded and downsampled', async (t) => {
  const history = new MetricsHistory(15_000);
  t.equal(history.capacity, 241 + COARSE_SPAN_MS / COARSE_STEP_MS + 1, 'one hour of 15 s scrapes + 24 h of 5 min snapshots');
  const start = 0;
  const end = 25 * 3_600_000;
  for (let at = start; at <= end; at += 15_000) history.add({ at, services: {}, queues: {} });
  const hour = history.window(3_600_000, end);
  t.equal(hour.length, 241, 'the fine ring holds an hour (+1 for the first rate)');
  t.equal(hour.at(-1)!.at, end);
  const day = history.window(24 * 3_600_000, end);
  t.equal(day.length, 289, 'the coarse ring: one snapshot per 5 minutes');
  t.equal(day[1]!.at - day[0]!.at, COARSE_STEP_MS);
  t.same(history.window(15 * 60_000, end).length, 61, '15 minutes of 15 s scrapes (+1)');
});

t.test('payments per minute: no counters yet is zero, an unreachable service a gap', async (t) => {
  const snap = (at: number, payments: ServiceSample | null): MetricsSnapshot => ({ at, services: { payments }, queues: {} });
  const series = deriveSeries(
    [snap(0, sample({})), snap(60_000, sample({})), snap(120_000, sample({ payments: { created: 6, completed: 4, failed: 1 } })), snap(180_000, null)],
    '15m',
    ['payments'],
    [],
  );
  t.same(series.paymentsPerMinute, { created: [0, 6, null], completed: [0, 4, null], failed: [0, 1, null] });
});
