// GET /admin/monitoring/series: the page's charts for a range, from the admin's own collector
// (native) or from Prometheus (PROMETHEUS_URL), plus web vitals p75 per page from the analytics
// table (the same in both modes: the browsers report to the admin service).
import { queueNames } from '@bank/events';
import type { AdminContext } from '../context.ts';
import { queryRange, type MatrixSeries } from '../clients/prometheus.ts';
import { CONSUMING_SERVICES } from '../domain/hub.ts';
import { monitoringQueries, PROMETHEUS_STEP_SECONDS } from '../domain/monitoring/promql.ts';
import { deriveSeries, RANGES, type MonitoringSeries, type RangeName } from '../domain/monitoring/series.ts';
import { webVitalsByPage } from '../repositories/analytics.ts';
import { MONITORED_SERVICES, type MetricsCollector } from './monitoring-collector.ts';

type SeriesContext = Pick<AdminContext, 'config' | 'db'> & { collector?: MetricsCollector | undefined };

export async function monitoringSeries(ctx: SeriesContext, range: RangeName, now = Date.now()) {
  const from = new Date(now - RANGES[range]);
  const [series, webVitals] = await Promise.all([
    ctx.config.PROMETHEUS_URL ? seriesFromPrometheus(ctx.config, ctx.config.PROMETHEUS_URL, range, now) : seriesFromCollector(ctx, range, now),
    webVitalsByPage(ctx.db, from, new Date(now)),
  ]);
  return { ...series, from: from.toISOString(), to: new Date(now).toISOString(), webVitals };
}

function seriesFromCollector(ctx: SeriesContext, range: RangeName, now: number): MonitoringSeries {
  const snapshots = ctx.collector?.history.window(RANGES[range], now) ?? [];
  return deriveSeries(snapshots, range, MONITORED_SERVICES, CONSUMING_SERVICES);
}

async function seriesFromPrometheus(config: SeriesContext['config'], baseUrl: string, range: RangeName, now: number): Promise<MonitoringSeries> {
  const step = PROMETHEUS_STEP_SECONDS[range];
  const end = Math.floor(now / 1000 / step) * step;
  const start = end - RANGES[range] / 1000;
  const timestamps: number[] = [];
  for (let t = start + step; t <= end; t += step) timestamps.push(t);
  const queries = monitoringQueries(step);
  const names = Object.keys(queries) as Array<keyof typeof queries>;
  const results = await Promise.all(names.map((name) => queryRange(baseUrl, queries[name], { start: start + step, end, step }, config.UPSTREAM_TIMEOUT_MS)));
  const result = Object.fromEntries(names.map((name, i) => [name, results[i]!])) as Record<keyof typeof queries, MatrixSeries[]>;

  // Aligned to `timestamps`: a missing sample (or NaN, e.g. 0/0) is a gap.
  const align = (series: MatrixSeries | undefined, digits = 3) => {
    const byTime = new Map((series?.values ?? []).map(([t, v]) => [Math.round(t), Number(v)]));
    return timestamps.map((t) => {
      const v = byTime.get(t);
      return v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits;
    });
  };
  const by = (label: string, list: MatrixSeries[], value: string) => list.find((s) => s.metric[label] === value);
  const single = (list: MatrixSeries[]) => align(list[0], 2);

  const prefix = { prefix: config.EVENTS_PREFIX };
  return {
    source: 'prometheus',
    range,
    timestamps,
    services: MONITORED_SERVICES.map((name) => ({
      name,
      requestRate: align(by('service', result.requestRate, name)),
      // No 5xx series at all means no errors (Prometheus has nothing to report), not a gap.
      errorRate: align(by('service', result.errorRate, name)).map((v, i) => v ?? (align(by('service', result.requestRate, name))[i] === null ? null : 0)),
      p50: align(by('service', result.p50, name), 1),
      p95: align(by('service', result.p95, name), 1),
      p99: align(by('service', result.p99, name), 1),
    })),
    queues: CONSUMING_SERVICES.map((name) => {
      const queue = queueNames(name, prefix);
      const depth = align(by('queue', result.queueMessages, queue.work), 0);
      const consumed = align(by('service', result.consumedRate, name));
      return {
        name,
        depth,
        deadLetters: align(by('queue', result.queueMessages, queue.dlq), 0),
        lagSeconds: depth.map((d, i) => (d === null ? null : d === 0 ? 0 : consumed[i] ? Math.round((d / consumed[i]!) * 10) / 10 : null)),
      };
    }),
    websocketConnections: single(result.websocketConnections),
    cacheHitRatio: align(result.cacheHitRatio[0]),
    paymentsPerMinute: { created: single(result.paymentsCreated), completed: single(result.paymentsCompleted), failed: single(result.paymentsFailed) },
  };
}
