// Writes the Grafana dashboards as ConfigMaps (dashboards/*.yaml) picked up by the Grafana
// sidecar of kube-prometheus-stack (label grafana_dashboard: "1"). Run after editing:
//   node k8s/monitoring/generate-dashboards.ts
// scripts/validate-k8s.ts fails when the committed files differ from this output, and when a
// query uses a metric that is not in METRICS (the names the services' code exports).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** Metric names the services export (services/kit, services/events, gateway, services/cache). */
export const METRICS = [
  'http_request_duration_seconds', 'http_requests_total',
  'events_published_total', 'events_confirmed_total', 'events_consumed_total', 'events_retried_total',
  'events_dead_lettered_total', 'events_handler_duration_seconds', 'events_outbox_lag_seconds',
  'ws_connections_open', 'ws_messages_in_total', 'ws_messages_out_total', 'ws_messages_dropped_total',
  'ws_delivery_latency_seconds', 'cache_hits_total', 'cache_misses_total',
] as const;

interface Panel { title: string; unit: string; exprs: Array<[legend: string, expr: string]>; type?: 'timeseries' | 'stat' }

const job = 'namespace=~"bank-.*", service=~"$service"';
const dashboards: Record<string, { title: string; panels: Panel[] }> = {
  'http-red': {
    title: 'Bank — HTTP RED',
    panels: [
      { title: 'Requests per second by route', unit: 'reqps', exprs: [['{{service}} {{method}} {{route}}', `sum by (service, method, route) (rate(http_requests_total{${job}}[5m]))`]] },
      { title: 'Error ratio (5xx)', unit: 'percentunit', exprs: [['{{service}}', `sum by (service) (rate(http_requests_total{${job}, status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{${job}}[5m]))`]] },
      { title: 'Latency p50 / p95 / p99', unit: 's', exprs: [0.5, 0.95, 0.99].map((q) => [`p${q * 100} {{service}}`, `histogram_quantile(${q}, sum by (service, le) (rate(http_request_duration_seconds_bucket{${job}}[5m])))`] as [string, string]) },
      { title: 'Slowest routes (p95)', unit: 's', exprs: [['{{service}} {{route}}', `topk(10, histogram_quantile(0.95, sum by (service, route, le) (rate(http_request_duration_seconds_bucket{${job}}[5m]))))`]] },
      { title: 'Cache hit ratio', unit: 'percentunit', exprs: [['{{service}}', `sum by (service) (rate(cache_hits_total{${job}}[5m])) / (sum by (service) (rate(cache_hits_total{${job}}[5m])) + sum by (service) (rate(cache_misses_total{${job}}[5m])))`]] },
    ],
  },
  'event-hub': {
    title: 'Bank — Event hub',
    panels: [
      { title: 'Published vs confirmed', unit: 'ops', exprs: [['published {{service}}', `sum by (service) (rate(events_published_total{${job}}[5m]))`], ['confirmed {{service}}', `sum by (service) (rate(events_confirmed_total{${job}}[5m]))`]] },
      { title: 'Consumed by type', unit: 'ops', exprs: [['{{service}} {{type}}', `sum by (service, type) (rate(events_consumed_total{${job}}[5m]))`]] },
      { title: 'Retried / dead-lettered', unit: 'ops', exprs: [['retried {{service}}', `sum by (service) (rate(events_retried_total{${job}}[5m]))`], ['dead-lettered {{service}}', `sum by (service) (rate(events_dead_lettered_total{${job}}[5m]))`]] },
      { title: 'Handler duration p95', unit: 's', exprs: [['{{service}}', `histogram_quantile(0.95, sum by (service, le) (rate(events_handler_duration_seconds_bucket{${job}}[5m])))`]] },
      { title: 'Outbox lag', unit: 's', exprs: [['{{service}}', `max by (service) (events_outbox_lag_seconds{${job}})`]] },
    ],
  },
  websockets: {
    title: 'Bank — WebSockets',
    panels: [
      { title: 'Open connections', unit: 'short', exprs: [['{{pod}}', `sum by (pod) (ws_connections_open{${job}})`]] },
      { title: 'Messages in / out / dropped', unit: 'ops', exprs: [['in', `sum(rate(ws_messages_in_total{${job}}[5m]))`], ['out', `sum(rate(ws_messages_out_total{${job}}[5m]))`], ['dropped', `sum(rate(ws_messages_dropped_total{${job}}[5m]))`]] },
      { title: 'Delivery latency p50 / p95 (event → socket)', unit: 's', exprs: [0.5, 0.95].map((q) => [`p${q * 100}`, `histogram_quantile(${q}, sum by (le) (rate(ws_delivery_latency_seconds_bucket{${job}}[5m])))`] as [string, string]) },
    ],
  },
};

function dashboard(uid: string, d: { title: string; panels: Panel[] }) {
  return {
    uid: `bank-${uid}`, title: d.title, tags: ['bank-payments'], schemaVersion: 39, refresh: '30s', time: { from: 'now-1h', to: 'now' },
    templating: { list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus' },
      { name: 'service', type: 'query', datasource: { uid: '${datasource}' }, query: 'label_values(http_requests_total{namespace=~"bank-.*"}, service)', includeAll: true, multi: true, current: { text: 'All', value: '$__all' } },
    ] },
    panels: d.panels.map((p, i) => ({
      id: i + 1, type: p.type ?? 'timeseries', title: p.title, datasource: { uid: '${datasource}' },
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      targets: p.exprs.map(([legendFormat, expr], j) => ({ refId: String.fromCharCode(65 + j), expr, legendFormat })),
    })),
  };
}

export function renderDashboards(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [uid, d] of Object.entries(dashboards)) {
    const configMap = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: `grafana-dashboard-${uid}`, namespace: 'monitoring', labels: { grafana_dashboard: '1', 'app.kubernetes.io/part-of': 'bank-payments' } },
      data: { [`bank-${uid}.json`]: JSON.stringify(dashboard(uid, d), null, 2) + '\n' },
    };
    files[`${uid}.yaml`] = `# Generated by k8s/monitoring/generate-dashboards.ts — edit that file, not this one.\n${stringify(configMap, { lineWidth: 0 })}`;
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL('./dashboards/', import.meta.url);
  for (const [name, text] of Object.entries(renderDashboards())) writeFileSync(new URL(name, dir), text);
  console.log(`wrote ${Object.keys(dashboards).length} dashboards`);
}
