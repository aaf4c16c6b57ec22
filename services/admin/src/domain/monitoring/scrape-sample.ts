// One service's /metrics, reduced to the cumulative figures the monitoring page derives its
// series from. Everything is summed over label sets (routes, methods, namespaces): the page
// shows a service as a whole, and keeping only totals bounds the memory a sample takes.
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

export interface ServiceSample {
  /** http_requests_total, all routes. */
  requests: number;
  /** http_requests_total with a 5xx status. */
  errors: number;
  /** http_request_duration_seconds: cumulative count per upper bound, ascending, +Inf last. */
  latencyBuckets: Array<[upperBound: number, cumulativeCount: number]>;
  /** events_consumed_total (every result): how fast this service drains its queue. */
  eventsConsumed: number;
  /** events_outbox_lag_seconds: age of the oldest unsent outbox row. */
  outboxLagSeconds: number | null;
  cacheHits: number;
  cacheMisses: number;
  /** ws_connections_open (gateway only). */
  wsConnections: number | null;
  /** payments_*_total (payments only). */
  payments: { created: number; completed: number; failed: number } | null;
}

const toNumber = (text: string | undefined) => {
  const n = Number(text);
  return Number.isFinite(n) ? n : 0;
};

function sum(families: Map<string, ParsedFamily>, name: string, keep: (labels: Record<string, string>) => boolean = () => true): number {
  let total = 0;
  for (const sample of families.get(name)?.metrics ?? []) if (keep(sample.labels ?? {})) total += toNumber(sample.value);
  return total;
}

function histogramBuckets(family: ParsedFamily | undefined): ServiceSample['latencyBuckets'] {
  const byBound = new Map<number, number>();
  for (const sample of family?.metrics ?? []) {
    for (const [le, count] of Object.entries(sample.buckets ?? {})) {
      const bound = le === '+Inf' ? Infinity : Number(le);
      if (!Number.isNaN(bound)) byBound.set(bound, (byBound.get(bound) ?? 0) + toNumber(count));
    }
  }
  return [...byBound.entries()].sort((a, b) => a[0] - b[0]);
}

export function sampleFromScrape(text: string): ServiceSample {
  const families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
  const has = (name: string) => families.has(name);
  const outboxLag = families.get('events_outbox_lag_seconds')?.metrics ?? [];
  return {
    requests: sum(families, 'http_requests_total'),
    errors: sum(families, 'http_requests_total', (l) => (l.status_code ?? '').startsWith('5')),
    latencyBuckets: histogramBuckets(families.get('http_request_duration_seconds')),
    eventsConsumed: sum(families, 'events_consumed_total'),
    outboxLagSeconds: outboxLag.length ? Math.max(...outboxLag.map((s) => toNumber(s.value))) : null,
    cacheHits: sum(families, 'cache_hits_total'),
    cacheMisses: sum(families, 'cache_misses_total'),
    wsConnections: has('ws_connections_open') ? sum(families, 'ws_connections_open') : null,
    payments: has('payments_created_total')
      ? { created: sum(families, 'payments_created_total'), completed: sum(families, 'payments_completed_total'), failed: sum(families, 'payments_failed_total') }
      : null,
  };
}
