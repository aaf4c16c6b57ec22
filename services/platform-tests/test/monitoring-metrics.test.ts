// The dashboards and alerts shipped with the charts (k8s/monitoring/dashboards.ts and alerts.ts,
// generated into charts/*/monitoring/) query only what the services really expose: after real
// traffic through nginx (sign-ups, payments that complete, fail and are cancelled, a scheduled
// payment, cached reads, a WebSocket session), each service's own /metrics is scraped (the service
// ports: /metrics is never routed by the edge) and every metric and label of every PromQL
// expression — parsed with Prometheus' grammar — must be on the /metrics of the service the
// expression selects (its `service` matcher; `=~"$service"` = any service).
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { request } from 'undici';
import { alertRules, EXTERNAL_METRICS } from '../../../k8s/monitoring/alerts.ts';
import { DASHBOARDS, SERVICES, type ServiceName } from '../../../k8s/monitoring/dashboards.ts';
import { analysePromql, metricFamily } from '../../../k8s/monitoring/promql.ts';
import { api, eventually, newCustomer } from './helper.ts';
import { connectAs } from './realtime-helper.ts';

const SERVICE_PORTS: Record<ServiceName, number> = { gateway: 3000, auth: 3001, payments: 3002, admin: 3003, profile: 3004 };
/** Labels Prometheus adds when it scrapes through a ServiceMonitor (not on /metrics itself). */
const TARGET_LABELS = new Set(['namespace', 'pod', 'service', 'instance', 'job', 'container', 'endpoint']);
/** A scraped label that collides with a target label is kept as exported_<name> (honorLabels: false). */
const onMetrics = (label: string) => label.replace(/^exported_/, '');
/**
 * Counters that only get a series when something goes wrong: with healthy traffic their family is
 * declared on /metrics (checked) but has no sample whose label names could be read.
 */
const FAILURE_ONLY = new Set(['events_retried_total', 'events_dead_lettered_total', 'ws_messages_dropped_total', 'cache_errors_total', 'cache_refused_total', 'ws_messages_in_total']);

interface Scrape {
  families: Set<string>;
  /** Series name (as written in PromQL: with _bucket/_sum/_count) → label names seen. */
  labels: Map<string, Set<string>>;
}

function parseExposition(text: string): Scrape {
  const families = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) /.exec(line);
    if (type) families.add(type[1]!);
    if (line.startsWith('#') || !line.trim()) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s/.exec(line);
    if (!sample) continue;
    const names = labels.get(sample[1]!) ?? new Set<string>();
    for (const m of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)) names.add(m[1]!);
    labels.set(sample[1]!, names);
  }
  return { families, labels };
}

async function scrape(service: ServiceName): Promise<Scrape> {
  const res = await request(`http://127.0.0.1:${SERVICE_PORTS[service]}/metrics`);
  if (res.statusCode !== 200) throw new Error(`${service} /metrics: ${res.statusCode}`);
  return parseExposition(await res.body.text());
}

t.test('every metric and label on the dashboards and alerts is on the services\' /metrics', async (t) => {
  // Traffic that makes the business, cache, event and WebSocket metrics carry samples.
  const alice = await newCustomer('metrics-alice');
  const bob = await newCustomer('metrics-bob');
  const socket = await connectAs(alice);
  t.teardown(() => socket.close());
  const pay = (extra: Record<string, unknown> = {}) =>
    eventually(async () => {
      const res = await api('POST', '/api/payments', {
        token: alice.accessToken,
        body: { recipientEmail: bob.email, amount: 1500, currency: 'EUR', type: 'instant', description: 'metrics', ...extra },
        headers: { 'idempotency-key': randomUUID() },
      });
      return res.status === 201 ? (res.body.payment ?? res.body) : undefined;
    });
  const completes = await pay();
  const fails = await pay({ description: 'please FAIL this one' });
  const schedule = await api('POST', '/api/payments/schedules', {
    token: alice.accessToken,
    body: { recipientEmail: bob.email, amount: 700, currency: 'GBP', type: 'scheduled', executionDate: new Date().toISOString().slice(0, 10), description: 'metrics schedule' },
    headers: { 'idempotency-key': randomUUID() },
  });
  t.equal(schedule.status, 201, 'a schedule due today is created', { body: schedule.body });
  for (const p of [completes, fails]) {
    await eventually(async () => {
      const res = await api('GET', `/api/payments/${p.id}`, { token: alice.accessToken });
      return ['completed', 'failed'].includes((res.body.payment ?? res.body).status);
    }, 30_000);
  }
  // A cancel races the processor's first step (409 when it lost): try with fresh payments.
  let cancel = { status: 0, body: undefined as unknown };
  for (let i = 0; i < 5 && cancel.status !== 200; i++) {
    const pending = await pay();
    cancel = await api('POST', `/api/payments/${pending.id}/cancel`, { token: alice.accessToken, body: {} });
  }
  t.equal(cancel.status, 200, 'a pending payment is cancelled', { body: cancel.body });
  for (let i = 0; i < 3; i++) {
    await api('GET', '/api/payments?limit=10', { token: alice.accessToken });
    await api('GET', '/api/profile/me', { token: alice.accessToken });
  }
  await socket.next((m) => m.type.startsWith('payment'), 20_000, 'a payment event on the socket').catch(() => undefined);

  // Give the events time to be relayed and consumed (every consumer's lag histogram has samples);
  // after 30 s, check whatever is there: the assertions below name what is missing.
  const scrapeAll = async () => Object.fromEntries(await Promise.all((Object.keys(SERVICES) as ServiceName[]).map(async (s) => [s, await scrape(s)] as const))) as Record<ServiceName, Scrape>;
  const consumers = (Object.keys(SERVICES) as ServiceName[]).filter((s) => SERVICES[s].consumer);
  let scrapes = await scrapeAll();
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; scrapes = await scrapeAll()) {
    if (scrapes.payments.labels.has('payments_status_changes_total') && consumers.every((s) => scrapes[s].labels.has('events_consumer_lag_seconds_bucket'))) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const expressions: Array<{ where: string; expr: string }> = [];
  for (const d of DASHBOARDS) for (const p of d.panels) for (const [legend, expr] of p.exprs) expressions.push({ where: `${d.uid} "${p.title}" (${legend})`, expr });
  for (const s of Object.keys(SERVICES) as ServiceName[]) for (const r of alertRules(s)) expressions.push({ where: `alert ${r.alert} (${s})`, expr: r.expr });

  const unverifiable = new Set<string>();
  let checked = 0;
  for (const { where, expr } of expressions) {
    const { errors, selectors, groupingLabels } = analysePromql(expr);
    t.same(errors, [], `${where}: parses`);
    const labelsOfExpression = new Set<string>(TARGET_LABELS);
    for (const { metric, matchers } of selectors) {
      if (metric in EXTERNAL_METRICS) continue;
      const family = metricFamily(metric);
      const only = matchers.service?.op === '=' ? [matchers.service.value as ServiceName] : (Object.keys(SERVICES) as ServiceName[]);
      const exposing = only.filter((s) => scrapes[s]?.families.has(family));
      checked++;
      if (!t.ok(exposing.length > 0, `${where}: ${family} is on the /metrics of ${only.join(' or ')}`)) continue;
      const seen = new Set<string>(exposing.flatMap((s) => [...(scrapes[s].labels.get(metric) ?? [])]));
      if (seen.size === 0) {
        unverifiable.add(family);
        continue;
      }
      for (const l of seen) labelsOfExpression.add(l);
      const missing = Object.keys(matchers).filter((l) => !seen.has(onMetrics(l)) && !TARGET_LABELS.has(l));
      t.same(missing, [], `${where}: ${metric} has the labels ${Object.keys(matchers).join(', ') || '(none matched)'}`);
    }
    if (selectors.some((s) => s.metric in EXTERNAL_METRICS)) continue; // kube-state-metrics' own labels
    const ungrouped = groupingLabels.filter((l) => !labelsOfExpression.has(l) && !(l.startsWith('exported_') && labelsOfExpression.has(onMetrics(l))));
    t.same(ungrouped.filter(() => selectors.every((s) => !unverifiable.has(metricFamily(s.metric)))), [], `${where}: grouping labels ${groupingLabels.join(', ') || '(none)'} exist`);
  }
  t.ok(checked > 100, `${checked} metric selectors in ${expressions.length} expressions checked`);
  const unexpected = [...unverifiable].filter((m) => !FAILURE_ONLY.has(m));
  t.same(unexpected, [], `only failure-path counters lack samples after the traffic (${[...unverifiable].join(', ') || 'none'})`);
});
