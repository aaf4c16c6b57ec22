// The PromQL equivalents of the collector's series (Kubernetes, PROMETHEUS_URL set). Same
// definitions: request and 5xx rates per service, latency percentiles from the histogram's
// buckets, cache hit ratio over every service, payments per minute by status. Queue figures need
// RabbitMQ's Prometheus plugin with per-object metrics (`rabbitmq_queue_messages{queue}`).
import type { RangeName } from './series.ts';

/** Query step per range: ~60-240 points whatever the range. */
export const PROMETHEUS_STEP_SECONDS: Record<RangeName, number> = { '15m': 15, '1h': 30, '6h': 180, '24h': 600 };

/** The rate() window: at least a minute (two scrapes at Prometheus's usual 30 s), else two steps. */
const rateWindow = (step: number) => `${Math.max(60, 2 * step)}s`;

export function monitoringQueries(step: number) {
  const w = rateWindow(step);
  const quantile = (q: number) => `histogram_quantile(${q}, sum by (service, le) (rate(http_request_duration_seconds_bucket[${w}]))) * 1000`;
  const hits = `sum(rate(cache_hits_total[${w}]))`;
  return {
    requestRate: `sum by (service) (rate(http_requests_total[${w}]))`,
    errorRate: `sum by (service) (rate(http_requests_total{status_code=~"5.."}[${w}]))`,
    p50: quantile(0.5),
    p95: quantile(0.95),
    p99: quantile(0.99),
    consumedRate: `sum by (service) (rate(events_consumed_total[${w}]))`,
    queueMessages: 'sum by (queue) (rabbitmq_queue_messages)',
    websocketConnections: 'sum(ws_connections_open)',
    cacheHitRatio: `${hits} / (${hits} + sum(rate(cache_misses_total[${w}])))`,
    paymentsCreated: `sum(rate(payments_created_total[${w}])) * 60`,
    paymentsCompleted: `sum(rate(payments_status_changes_total{status="completed"}[${w}])) * 60`,
    paymentsFailed: `sum(rate(payments_failed_total[${w}])) * 60`,
  };
}
