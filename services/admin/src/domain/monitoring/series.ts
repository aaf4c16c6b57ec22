// Series for the monitoring page, derived from consecutive cumulative snapshots: rates are
// counter increases over the time between two scrapes (a decrease is a restarted service, whose
// counters start again from zero — Prometheus's rule), percentiles come from the latency
// histogram's bucket increases. A service that could not be scraped is a gap (null), not a zero.
import { bucketIncrease, histogramQuantile } from './histogram-quantile.ts';
import type { MetricsSnapshot } from './history.ts';
import type { ServiceSample } from './scrape-sample.ts';

export const RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 } as const;
export type RangeName = keyof typeof RANGES;

type Point = number | null;

export interface ServiceSeries {
  name: string;
  /** Requests per second. */
  requestRate: Point[];
  /** 5xx responses per second. */
  errorRate: Point[];
  /** Latency percentiles, milliseconds. */
  p50: Point[];
  p95: Point[];
  p99: Point[];
}

export interface QueueSeries {
  /** The consuming service (queue `<service>.events`, dead letters in `<service>.dlq`). */
  name: string;
  depth: Point[];
  deadLetters: Point[];
  /** Seconds to drain the queue at the consumer's current rate (0 when empty, null when stalled). */
  lagSeconds: Point[];
}

export interface MonitoringSeries {
  source: 'collector' | 'prometheus';
  range: RangeName;
  /** Epoch seconds of each point (uPlot's x axis). */
  timestamps: number[];
  services: ServiceSeries[];
  queues: QueueSeries[];
  websocketConnections: Point[];
  /** Cache hits / (hits + misses), 0..1, over every service's caches. */
  cacheHitRatio: Point[];
  paymentsPerMinute: { created: Point[]; completed: Point[]; failed: Point[] };
}

const NO_PAYMENTS = { created: 0, completed: 0, failed: 0 };

/** Counter increase, with a reset (new value below the old) counting from zero. */
export const increase = (before: number, after: number) => (after >= before ? after - before : after);

const round = (n: number | null, digits = 3) => (n === null || !Number.isFinite(n) ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function pair(before: MetricsSnapshot, after: MetricsSnapshot, service: string): [ServiceSample, ServiceSample] | null {
  const a = before.services[service];
  const b = after.services[service];
  return a && b ? [a, b] : null;
}

export function deriveSeries(snapshots: readonly MetricsSnapshot[], range: RangeName, serviceNames: readonly string[], queueNames: readonly string[]): MonitoringSeries {
  const steps = snapshots.slice(1).map((after, i) => ({ before: snapshots[i]!, after, seconds: (after.at - snapshots[i]!.at) / 1000 }));
  const perStep = <T>(fn: (step: (typeof steps)[number]) => T) => steps.map(fn);

  const services = serviceNames.map((name): ServiceSeries => {
    const rate = (pick: (s: ServiceSample) => number) =>
      perStep(({ before, after, seconds }) => {
        const p = pair(before, after, name);
        return p ? round(increase(pick(p[0]), pick(p[1])) / seconds) : null;
      });
    const quantile = (q: number) =>
      perStep(({ before, after }) => {
        const p = pair(before, after, name);
        if (!p) return null;
        const seconds = histogramQuantile(q, bucketIncrease(p[0].latencyBuckets, p[1].latencyBuckets));
        return seconds === null ? null : round(seconds * 1000, 1);
      });
    return { name, requestRate: rate((s) => s.requests), errorRate: rate((s) => s.errors), p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99) };
  });

  const queues = queueNames.map((name): QueueSeries => ({
    name,
    depth: perStep(({ after }) => after.queues[name]?.depth ?? null),
    deadLetters: perStep(({ after }) => after.queues[name]?.deadLetters ?? null),
    lagSeconds: perStep(({ before, after, seconds }) => {
      const depth = after.queues[name]?.depth;
      if (depth === null || depth === undefined) return null;
      if (depth === 0) return 0;
      const p = pair(before, after, name);
      const drained = p ? increase(p[0].eventsConsumed, p[1].eventsConsumed) / seconds : 0;
      return drained > 0 ? round(depth / drained, 1) : null;
    }),
  }));

  const acrossServices = (pick: (s: ServiceSample) => number) => (step: (typeof steps)[number]) => {
    let total = 0;
    for (const name of serviceNames) {
      const p = pair(step.before, step.after, name);
      if (p) total += increase(pick(p[0]), pick(p[1]));
    }
    return total;
  };
  const hits = acrossServices((s) => s.cacheHits);
  const misses = acrossServices((s) => s.cacheMisses);

  const paymentsPerMinute = (pick: (p: NonNullable<ServiceSample['payments']>) => number) =>
    perStep(({ before, after, seconds }) => {
      // prom-client lists a labelled counter only once it has been incremented: a payments
      // service that answered without payment counters has made no payments yet (0, not a gap).
      const a = before.services.payments;
      const b = after.services.payments;
      return a && b ? round((increase(pick(a.payments ?? NO_PAYMENTS), pick(b.payments ?? NO_PAYMENTS)) * 60) / seconds, 2) : null;
    });

  return {
    source: 'collector',
    range,
    timestamps: steps.map(({ after }) => Math.round(after.at / 1000)),
    services,
    queues,
    websocketConnections: perStep(({ after }) => after.services.gateway?.wsConnections ?? null),
    cacheHitRatio: perStep((step) => {
      const h = hits(step);
      const m = misses(step);
      return h + m > 0 ? round(h / (h + m)) : null;
    }),
    paymentsPerMinute: { created: paymentsPerMinute((p) => p.created), completed: paymentsPerMinute((p) => p.completed), failed: paymentsPerMinute((p) => p.failed) },
  };
}
