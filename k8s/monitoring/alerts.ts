// The Prometheus alerting rules, as data: one rule group per service chart, written by
// generate-dashboards.ts to charts/<service>/monitoring/alerts.yaml. The library chart
// (lib.prometheusRule) wraps the file in a PrometheusRule and adds annotations.runbook_url
// (<monitoring.alerts.runbookBaseUrl>/<alert>.md — every alert has docs/runbooks/<alert>.md).
import { SERVICES, type ServiceName } from './dashboards.ts';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning' };
  annotations: { summary: string; description: string };
}

/** Metrics the alerts read that the services do not export: Prometheus' own and kube-state-metrics'. */
export const EXTERNAL_METRICS: Record<string, string> = {
  up: 'Prometheus: 1 when the last scrape of a target succeeded',
  kube_pod_container_status_ready: 'kube-state-metrics (installed by kube-prometheus-stack): the readiness probe result per container',
};

export function alertRules(service: ServiceName): AlertRule[] {
  const s = `service="${service}"`;
  const rules: AlertRule[] = [
    {
      alert: 'BankHttp5xxRateHigh',
      expr: `sum by (service) (rate(http_requests_total{${s}, status_code=~"5.."}[5m])) / sum by (service) (rate(http_requests_total{${s}}[5m])) > 0.05 and sum by (service) (rate(http_requests_total{${s}}[5m])) > 0.1`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: { summary: `${service}: more than 5 % of responses are 5xx`, description: `The ${service} service answered {{ $value | humanizePercentage }} of its requests with a server error over the last 5 minutes (at more than 0.1 request per second).` },
    },
    {
      alert: 'BankServiceDown',
      expr: `sum by (service) (up{${s}}) == 0 or absent(up{${s}})`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: `${service}: no pod can be scraped`, description: `Prometheus has not scraped any ${service} pod for 5 minutes: every replica is down, crash-looping or unreachable.` },
    },
    {
      alert: 'BankPodNotReady',
      expr: `sum by (namespace, pod) (kube_pod_container_status_ready{container="${service}"}) == 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: `${service}: a pod fails its readiness probe`, description: `Pod {{ $labels.namespace }}/{{ $labels.pod }} has failed /health/ready for 10 minutes (a dependency — PostgreSQL, Redis, RabbitMQ — is unreachable from it, or it is shutting down); it receives no traffic.` },
    },
  ];
  if (SERVICES[service].outbox) {
    rules.push(
      {
        alert: 'BankOutboxBacklog',
        expr: `max by (service) (events_outbox_lag_seconds{${s}}) > 60`,
        for: '5m',
        labels: { severity: 'critical' },
        annotations: { summary: `${service}: events are not leaving the outbox`, description: `The oldest unsent outbox row of ${service} is {{ $value | humanizeDuration }} old: the relay cannot publish to RabbitMQ, so other services do not see ${service}'s changes.` },
      },
    );
  }
  if (SERVICES[service].consumer) {
    rules.push(
      {
        alert: 'BankConsumerLagHigh',
        expr: `histogram_quantile(0.95, sum by (service, le) (rate(events_consumer_lag_seconds_bucket{${s}}[5m]))) > 30`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: { summary: `${service}: events are handled late`, description: `95 % of the events ${service} handled in the last 5 minutes were up to {{ $value | humanizeDuration }} old: the consumer is behind (slow handlers, database contention, a retry storm).` },
      },
      {
        alert: 'BankDeadLettersGrowing',
        expr: `sum by (service, reason) (increase(events_dead_lettered_total{${s}}[15m])) > 0`,
        for: '5m',
        labels: { severity: 'warning' },
        annotations: { summary: `${service}: events are being dead-lettered`, description: `{{ $value | humanize }} events went to ${service}'s dead-letter queue in the last 15 minutes (reason {{ $labels.reason }}). They are not processed until an operator replays or discards them.` },
      },
    );
  }
  return rules;
}

/** The alerts (name → severity) across all services: one runbook each under docs/runbooks/. */
export function allAlerts(): Map<string, string> {
  const out = new Map<string, string>();
  for (const service of Object.keys(SERVICES) as ServiceName[]) for (const r of alertRules(service)) out.set(r.alert, r.labels.severity);
  return out;
}
