// The admin's own metrics collector (native mode has no Prometheus): every interval it reads each
// service's /metrics and the hub's queue depths and appends one snapshot to the bounded history.
// Each admin replica keeps its own history in memory: the figures are the same services' totals
// whichever replica reads them, a restart only loses the page's past (Kubernetes reads
// Prometheus instead), and nothing has to be written to PostgreSQL or Redis every few seconds.
import { queueNames } from '@bank/events';
import { prom } from '@bank/kit';
import type { AdminContext } from '../context.ts';
import { CONSUMING_SERVICES } from '../domain/hub.ts';
import { MetricsHistory, type MetricsSnapshot, type QueueSample } from '../domain/monitoring/history.ts';
import { sampleFromScrape, type ServiceSample } from '../domain/monitoring/scrape-sample.ts';
import { queueStats } from './health.ts';

/** The services the page charts, in display order. */
export const MONITORED_SERVICES = ['gateway', 'auth', 'payments', 'admin', 'profile'] as const;

export interface MetricsCollector {
  history: MetricsHistory;
  /** One scrape now (the timer calls it; tests too). */
  scrape(): Promise<MetricsSnapshot>;
  /** Stops the timer and waits for a scrape in flight (clients close after it). */
  stop(): Promise<void>;
}

type CollectorContext = Pick<AdminContext, 'config' | 'broker' | 'log'>;

async function scrapeService(ctx: CollectorContext, name: string): Promise<ServiceSample | null> {
  const { config } = ctx;
  // The admin's own figures come from its registry directly: it has no URL of its own in config.
  if (name === 'admin') return sampleFromScrape(await prom.register.metrics());
  const base = { gateway: config.GATEWAY_URL, auth: config.AUTH_URL, payments: config.PAYMENTS_URL, profile: config.PROFILE_URL }[name];
  if (!base) return null;
  try {
    const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(config.UPSTREAM_TIMEOUT_MS) });
    if (!res.ok) return null;
    return sampleFromScrape(await res.text());
  } catch (err) {
    ctx.log.debug({ service: name, err: { message: (err as Error).message } }, 'metrics scrape failed');
    return null;
  }
}

async function scrapeQueues(ctx: CollectorContext): Promise<Record<string, QueueSample>> {
  const prefix = { prefix: ctx.config.EVENTS_PREFIX };
  const entries = await Promise.all(
    CONSUMING_SERVICES.map(async (service) => {
      const names = queueNames(service, prefix);
      const [work, dlq] = await Promise.all([queueStats(ctx.broker, names.work), queueStats(ctx.broker, names.dlq)]);
      return [service, { depth: work.messages, deadLetters: dlq.messages, consumers: work.consumers }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export function startMetricsCollector(ctx: CollectorContext): MetricsCollector {
  const interval = ctx.config.MONITORING_SCRAPE_INTERVAL_MS;
  const history = new MetricsHistory(interval);
  let running: Promise<MetricsSnapshot> | undefined;

  const scrape = () => {
    // Single flight: a slow scrape (a service timing out) is not overlapped by the next one.
    running ??= (async () => {
      const at = Date.now();
      const [services, queues] = await Promise.all([
        Promise.all(MONITORED_SERVICES.map(async (name) => [name, await scrapeService(ctx, name)] as const)),
        scrapeQueues(ctx),
      ]);
      const snapshot: MetricsSnapshot = { at, services: Object.fromEntries(services), queues };
      history.add(snapshot);
      return snapshot;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    scrape().catch((err: Error) => ctx.log.warn({ err: { message: err.message } }, 'metrics collection failed'));
  }, interval);
  timer.unref();
  void scrape().catch(() => {});
  ctx.log.info({ intervalMs: interval, maxSnapshots: history.capacity }, 'monitoring collector started');

  return {
    history,
    scrape,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
