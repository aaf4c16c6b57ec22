// One service's /metrics, reduced to the cumulative figures the monitoring page derives its
// series from. Everything is summed over label sets (routes, methods, namespaces): the page
// shows a service as a whole, and keeping only totals bounds the memory a sample takes.
import { parseExposition, type Sample } from './exposition.ts';

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

function sum(byName: Map<string, Sample[]>, name: string, keep: (labels: Record<string, string>) => boolean = () => true): number {
  let total = 0;
  for (const sample of byName.get(name) ?? []) if (keep(sample.labels)) total += sample.value;
  return total;
}

/** Buckets summed over every label set but `le`. */
function histogramBuckets(samples: Sample[] | undefined): ServiceSample['latencyBuckets'] {
  const byBound = new Map<number, number>();
  for (const { labels, value } of samples ?? []) {
    const bound = labels.le === '+Inf' ? Infinity : Number(labels.le);
    if (!Number.isNaN(bound)) byBound.set(bound, (byBound.get(bound) ?? 0) + value);
  }
  return [...byBound.entries()].sort((a, b) => a[0] - b[0]);
}

export function sampleFromScrape(text: string): ServiceSample {
  const byName = new Map<string, Sample[]>();
  for (const sample of parseExposition(text)) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  const has = (name: string) => byName.has(name);
  const outboxLag = byName.get('events_outbox_lag_seconds') ?? [];
  return {
    requests: sum(byName, 'http_requests_total'),
    errors: sum(byName, 'http_requests_total', (l) => (l.status_code ?? '').startsWith('5')),
    latencyBuckets: histogramBuckets(byName.get('http_request_duration_seconds_bucket')),
    eventsConsumed: sum(byName, 'events_consumed_total'),
    outboxLagSeconds: outboxLag.length ? Math.max(...outboxLag.map((s) => s.value)) : null,
    cacheHits: sum(byName, 'cache_hits_total'),
    cacheMisses: sum(byName, 'cache_misses_total'),
    wsConnections: has('ws_connections_open') ? sum(byName, 'ws_connections_open') : null,
    payments: has('payments_created_total')
      ? { created: sum(byName, 'payments_created_total'), completed: sum(byName, 'payments_status_changes_total', (l) => l.status === 'completed'), failed: sum(byName, 'payments_failed_total') }
      : null,
  };
}
