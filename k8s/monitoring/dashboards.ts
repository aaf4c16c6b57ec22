// The Grafana dashboards, as data: which chart ships each one and the PromQL of every panel.
// generate-dashboards.ts writes them as JSON into charts/<chart>/monitoring/dashboards/; the
// library chart (charts/lib, lib.dashboards) turns each file into a ConfigMap for Grafana's
// sidecar. Every metric named here is exported by the services' code; the platform test
// services/platform-tests/test/monitoring-metrics.test.ts scrapes their real /metrics to prove it.

/**
 * The services and what of the event hub they run (decides which alerts their chart ships):
 * `outbox` — a transactional outbox and its relay; `consumer` — inbox consumers (auth consumes nothing).
 */
export const SERVICES = {
  gateway: { outbox: false, consumer: false },
  auth: { outbox: true, consumer: false },
  payments: { outbox: true, consumer: true },
  admin: { outbox: true, consumer: true },
  profile: { outbox: true, consumer: true },
} as const;
export type ServiceName = keyof typeof SERVICES;

export interface Panel {
  title: string;
  /** Shown as the panel's description (hover "i"): what the figure means and when to worry. */
  description: string;
  unit: string;
  exprs: Array<[legend: string, expr: string]>;
  type?: 'timeseries' | 'stat' | 'barchart';
  /** Full width (24 columns) instead of half. */
  wide?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  /** The chart that ships it (charts/<chart>/monitoring/dashboards/<uid>.json). */
  chart: ServiceName;
  description: string;
  /** Adds a multi-select `service` variable (cross-cutting dashboards). */
  serviceVariable?: boolean;
  panels: Panel[];
}

// Grafana replaces $__rate_interval with a window of at least four scrape intervals.
const W = '$__rate_interval';
const ALL = 'service=~"$service"';

function red(service: ServiceName): Dashboard {
  const s = `service="${service}"`;
  return {
    uid: `bank-red-${service}`,
    title: `Bank — ${service} (RED)`,
    chart: service,
    description: `Rate, errors and duration of the ${service} service's HTTP routes (route templates, never raw URLs), plus its Node.js process.`,
    panels: [
      { title: 'Requests per second by route', description: 'Throughput per route template and method.', unit: 'reqps', wide: true, exprs: [['{{method}} {{route}}', `sum by (method, route) (rate(http_requests_total{${s}}[${W}]))`]] },
      { title: 'Error ratio (5xx)', description: 'Share of responses that are server errors. The BankHttp5xxRateHigh alert fires above 5 % for 10 minutes.', unit: 'percentunit', exprs: [['5xx', `sum(rate(http_requests_total{${s}, status_code=~"5.."}[${W}])) / sum(rate(http_requests_total{${s}}[${W}]))`], ['4xx', `sum(rate(http_requests_total{${s}, status_code=~"4.."}[${W}])) / sum(rate(http_requests_total{${s}}[${W}]))`]] },
      { title: 'Responses by status code', description: 'Responses per second by HTTP status code.', unit: 'reqps', exprs: [['{{status_code}}', `sum by (status_code) (rate(http_requests_total{${s}}[${W}]))`]] },
      { title: 'Latency p50 / p95 / p99', description: 'Server-side duration of all routes (from the histogram buckets).', unit: 's', exprs: [0.5, 0.95, 0.99].map((q) => [`p${Math.round(q * 100)}`, `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${s}}[${W}])))`] as [string, string]) },
      { title: 'Slowest routes (p95)', description: 'The ten route templates with the highest 95th percentile.', unit: 's', exprs: [['{{method}} {{route}}', `topk(10, histogram_quantile(0.95, sum by (method, route, le) (rate(http_request_duration_seconds_bucket{${s}}[${W}]))))`]] },
      { title: 'Scrape targets up', description: 'Pods Prometheus can scrape (Prometheus\' own `up`). 0 fires BankServiceDown.', unit: 'short', type: 'stat', exprs: [['up', `sum(up{${s}})`]] },
      { title: 'CPU (cores) by pod', description: 'Process CPU time per second.', unit: 'short', exprs: [['{{pod}}', `sum by (pod) (rate(process_cpu_seconds_total{${s}}[${W}]))`]] },
      { title: 'Memory (RSS) by pod', description: 'Resident memory of each process; compare with the chart\'s memory limit.', unit: 'bytes', exprs: [['{{pod}}', `sum by (pod) (process_resident_memory_bytes{${s}})`]] },
      { title: 'Event-loop lag p99 by pod', description: 'A growing event-loop lag means the process is CPU-bound or blocked (every request waits that long).', unit: 's', exprs: [['{{pod}}', `max by (pod) (nodejs_eventloop_lag_p99_seconds{${s}})`]] },
    ],
  };
}

const eventHub: Dashboard = {
  uid: 'bank-event-hub',
  title: 'Bank — Event hub',
  chart: 'gateway',
  serviceVariable: true,
  description: 'The RabbitMQ event hub seen from the services: transactional outbox → relay → broker → inbox consumers.',
  panels: [
    { title: 'Published vs confirmed per second', description: 'Events the relays sent and the broker confirmed. A gap that persists means unconfirmed publishes (broker trouble).', unit: 'ops', exprs: [['published {{service}}', `sum by (service) (rate(events_published_total{${ALL}}[${W}]))`], ['confirmed {{service}}', `sum by (service) (rate(events_confirmed_total{${ALL}}[${W}]))`]] },
    { title: 'Outbox backlog (age of the oldest unsent row)', description: '0 when the outbox is empty. Growing = the relay cannot publish. BankOutboxBacklog fires above 60 s for 5 minutes.', unit: 's', exprs: [['{{service}}', `max by (service) (events_outbox_lag_seconds{${ALL}})`]] },
    { title: 'Consumed per second by result', description: 'processed, duplicate (inbox already had it), ignored (no handler), failed (handler threw → retry), rejected (invalid or unauthorised → dead letter).', unit: 'ops', exprs: [['{{service}} {{result}}', `sum by (service, result) (rate(events_consumed_total{${ALL}}[${W}]))`]] },
    { title: 'Consumer lag p95 (occurredAt → handled)', description: 'End-to-end delivery lag per consumer. BankConsumerLagHigh fires above 30 s for 10 minutes.', unit: 's', exprs: [['{{service}}', `histogram_quantile(0.95, sum by (service, le) (rate(events_consumer_lag_seconds_bucket{${ALL}}[${W}])))`]] },
    { title: 'Dead letters (last hour) by reason', description: 'Messages parked in a dead-letter queue; each needs an operator (admin → Dead letters). BankDeadLettersGrowing fires on any increase.', unit: 'short', exprs: [['{{service}} {{reason}}', `sum by (service, reason) (increase(events_dead_lettered_total{${ALL}}[1h]))`]] },
    { title: 'Retries per second by type', description: 'Handler failures sent to a retry queue (back-off), before any dead letter.', unit: 'ops', exprs: [['{{service}} {{type}}', `sum by (service, type) (rate(events_retried_total{${ALL}}[${W}]))`]] },
    { title: 'Handler duration p95', description: 'Handler time including its inbox transaction.', unit: 's', wide: true, exprs: [['{{service}}', `histogram_quantile(0.95, sum by (service, le) (rate(events_handler_duration_seconds_bucket{${ALL}}[${W}])))`]] },
  ],
};

const websockets: Dashboard = {
  uid: 'bank-websockets',
  title: 'Bank — WebSockets',
  chart: 'gateway',
  description: 'The gateway\'s /ws endpoint: open sockets, frames in and out, drops, and how late events reach the browser.',
  panels: [
    { title: 'Open connections', description: 'Sockets open, per gateway pod and in total.', unit: 'short', exprs: [['{{pod}}', 'sum by (pod) (ws_connections_open{service="gateway"})'], ['total', 'sum(ws_connections_open{service="gateway"})']] },
    { title: 'Client messages per second by result', description: 'accepted, invalid, rate-limited, too-big.', unit: 'ops', exprs: [['{{result}}', `sum by (result) (rate(ws_messages_in_total{service="gateway"}[${W}]))`]] },
    { title: 'Server messages per second by type', description: 'Frames written to sockets.', unit: 'ops', exprs: [['{{type}}', `sum by (type) (rate(ws_messages_out_total{service="gateway"}[${W}]))`]] },
    { title: 'Dropped messages per second by reason', description: 'backpressure (slow client), closed, invalid-event, unauthorised-source.', unit: 'ops', exprs: [['{{reason}}', `sum by (reason) (rate(ws_messages_dropped_total{service="gateway"}[${W}]))`]] },
    { title: 'Delivery latency p50 / p95 / p99 (event → socket)', description: 'From the event\'s occurredAt to the frame being written.', unit: 's', wide: true, exprs: [0.5, 0.95, 0.99].map((q) => [`p${Math.round(q * 100)}`, `histogram_quantile(${q}, sum by (le) (rate(ws_delivery_latency_seconds_bucket{service="gateway"}[${W}])))`] as [string, string]) },
  ],
};

const cache: Dashboard = {
  uid: 'bank-cache',
  title: 'Bank — Cache',
  chart: 'gateway',
  serviceVariable: true,
  // The cache's own `namespace` label collides with the target label Prometheus adds (the
  // Kubernetes namespace): with the ServiceMonitor's default honorLabels: false, Prometheus keeps
  // it as `exported_namespace`.
  description: 'The Redis read-through cache (services/cache) by service and cache namespace (exported_namespace): hit rate, Redis latency, invalidations (the cache evicts by tag generation), degraded reads.',
  panels: [
    { title: 'Hit ratio', description: 'Hits / (hits + misses) per cache namespace.', unit: 'percentunit', exprs: [['{{service}} {{exported_namespace}}', `sum by (service, exported_namespace) (rate(cache_hits_total{${ALL}}[${W}])) / (sum by (service, exported_namespace) (rate(cache_hits_total{${ALL}}[${W}])) + sum by (service, exported_namespace) (rate(cache_misses_total{${ALL}}[${W}])))`]] },
    { title: 'Hits and misses per second', description: 'A miss runs the loader (the database).', unit: 'ops', exprs: [['hits {{service}}', `sum by (service) (rate(cache_hits_total{${ALL}}[${W}]))`], ['misses {{service}}', `sum by (service) (rate(cache_misses_total{${ALL}}[${W}]))`]] },
    { title: 'Redis latency p95 by operation', description: 'Round trips of the cache\'s own Redis calls (read, write, lock, unlock, invalidate).', unit: 's', exprs: [['{{service}} {{op}}', `histogram_quantile(0.95, sum by (service, op, le) (rate(cache_operation_duration_seconds_bucket{${ALL}}[${W}])))`]] },
    { title: 'Evictions: tags invalidated per second', description: 'Every entry stamped with an invalidated tag is dead from then on (generation scheme, no key scans).', unit: 'ops', exprs: [['{{service}} {{exported_namespace}}', `sum by (service, exported_namespace) (rate(cache_invalidations_total{${ALL}}[${W}]))`]] },
    { title: 'Redis errors per second by operation', description: 'Redis failures the cache degraded around (the loader answered, nothing cached).', unit: 'ops', exprs: [['{{service}} {{op}}', `sum by (service, op) (rate(cache_errors_total{${ALL}}[${W}]))`]] },
    { title: 'Values refused (looked like secrets)', description: 'Loader results the cache refused to store because they contained secret-looking fields.', unit: 'short', exprs: [['{{service}} {{exported_namespace}}', `sum by (service, exported_namespace) (increase(cache_refused_total{${ALL}}[1h]))`]] },
  ],
};

const business: Dashboard = {
  uid: 'bank-business',
  title: 'Bank — Payments (business)',
  chart: 'payments',
  description: 'What the payments service does for customers: payments per minute by status, amounts by currency, failure reasons, standing schedules.',
  panels: [
    { title: 'Payments per minute by status', description: 'created = new payments (pending); the others are committed status changes by the processor or a cancel.', unit: 'short', wide: true, exprs: [['created', `sum(rate(payments_created_total{service="payments"}[${W}])) * 60`], ['{{status}}', `sum by (status) (rate(payments_status_changes_total{service="payments"}[${W}])) * 60`]] },
    { title: 'Amount created per minute by currency (minor units)', description: 'Sum of created amounts in each currency\'s minor unit (cents, pence…): compare a currency with itself over time, not across currencies.', unit: 'short', exprs: [['{{currency}}', `sum by (currency) (rate(payments_amount_minor_total{service="payments"}[${W}])) * 60`]] },
    { title: 'Payments created per minute by currency', description: 'Count of created payments per currency.', unit: 'short', exprs: [['{{currency}}', `sum by (currency) (rate(payments_created_total{service="payments"}[${W}])) * 60`]] },
    { title: 'Failure reasons (last hour)', description: 'Payments the processor failed, by reason code (domain/outcome.ts).', unit: 'short', type: 'barchart', exprs: [['{{reason}}', 'sum by (reason) (increase(payments_failed_total{service="payments"}[1h]))']] },
    { title: 'Failure ratio', description: 'failed / (completed + failed) among processed payments.', unit: 'percentunit', exprs: [['failed', `sum(rate(payments_status_changes_total{service="payments", status="failed"}[${W}])) / sum(rate(payments_status_changes_total{service="payments", status=~"completed|failed"}[${W}]))`]] },
    { title: 'Scheduled occurrences per minute', description: 'Payments created by the scheduler from standing schedules.', unit: 'short', exprs: [['occurrences', `sum(rate(payments_schedule_occurrences_total{service="payments"}[${W}])) * 60`]] },
    { title: 'Scheduled occurrences (last 24 h)', description: 'How many scheduled payments were created in the last day.', unit: 'short', type: 'stat', exprs: [['24 h', 'sum(increase(payments_schedule_occurrences_total{service="payments"}[24h]))']] },
  ],
};

export const DASHBOARDS: Dashboard[] = [...(Object.keys(SERVICES) as ServiceName[]).map(red), eventHub, websockets, cache, business];

/** Grafana dashboard JSON (schemaVersion 39, Grafana 10/11) for one dashboard. */
export function grafanaJson(d: Dashboard): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: '${datasource}' };
  const variables: Array<Record<string, unknown>> = [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }];
  if (d.serviceVariable) {
    variables.push({ name: 'service', label: 'Service', type: 'query', datasource, query: { query: 'label_values(http_requests_total, service)', refId: 'service' }, definition: 'label_values(http_requests_total, service)', refresh: 2, includeAll: true, multi: true, current: { text: 'All', value: '$__all' }, hide: 0 });
  }
  let x = 0;
  let y = 0;
  const panels = d.panels.map((p, i) => {
    const w = p.wide ? 24 : 12;
    if (x + w > 24) { x = 0; y += 8; }
    const gridPos = { h: 8, w, x, y };
    x += w;
    if (x >= 24) { x = 0; y += 8; }
    return {
      id: i + 1, type: p.type ?? 'timeseries', title: p.title, description: p.description, datasource, gridPos,
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: p.type === 'stat' ? { reduceOptions: { calcs: ['lastNotNull'] } } : { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] } },
      targets: p.exprs.map(([legendFormat, expr], j) => ({ refId: String.fromCharCode(65 + j), datasource, expr, legendFormat })),
    };
  });
  return {
    uid: d.uid, title: d.title, description: d.description, tags: ['bank-payments'], editable: false, schemaVersion: 39, version: 1,
    refresh: '30s', time: { from: 'now-1h', to: 'now' }, timezone: 'browser',
    templating: { list: variables }, annotations: { list: [] }, panels,
  };
}
