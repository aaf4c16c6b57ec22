// System health for the Monitoring page: every service's readiness (its own /health/ready, which
// checks its real dependencies), the admin's own PostgreSQL/Redis/RabbitMQ, and for each
// consuming service its work queue depth, consumer count and dead letters. Queue figures come
// from passive queue declares on the operator connection: the management plugin is not enabled
// everywhere, and a passive declare needs no extra plugin or credentials.
import { queueNames } from '@bank/events';
import type { AdminContext, BrokerConnection } from '../context.ts';
import { callUpstream } from '../clients/upstream.ts';
import { CONSUMING_SERVICES } from '../domain/hub.ts';

export interface ServiceHealth {
  name: string;
  status: 'up' | 'down';
  latencyMs: number | null;
  details?: unknown;
}
export interface QueueDepth {
  name: string;
  messages: number | null;
  consumers: number | null;
  error?: string;
}

async function probe(name: string, baseUrl: string, timeoutMs: number): Promise<ServiceHealth> {
  try {
    const res = await callUpstream(`${baseUrl}/health/ready`, { timeoutMs });
    return { name, status: res.status === 200 ? 'up' : 'down', latencyMs: res.latencyMs, details: res.body };
  } catch (err) {
    return { name, status: 'down', latencyMs: null, details: { error: (err as Error).message } };
  }
}

/** messageCount/consumerCount of a queue, on a channel of its own (a 404 closes the channel). */
export async function queueStats(broker: BrokerConnection, queue: string): Promise<QueueDepth> {
  if (!broker.ready) return { name: queue, messages: null, consumers: null, error: 'RabbitMQ connection not ready' };
  const channel = await broker.acquire();
  try {
    const ok = await channel.queueDeclare({ queue, passive: true });
    return { name: queue, messages: ok.messageCount, consumers: ok.consumerCount };
  } catch (err) {
    return { name: queue, messages: null, consumers: null, error: (err as Error).message };
  } finally {
    await channel.close().catch(() => {});
  }
}

export async function systemHealth(ctx: Pick<AdminContext, 'config' | 'broker' | 'ownChecks'>) {
  const { config } = ctx;
  const prefix = { prefix: config.EVENTS_PREFIX };
  const upstreams = { auth: config.AUTH_URL, payments: config.PAYMENTS_URL, profile: config.PROFILE_URL, gateway: config.GATEWAY_URL };
  const [probes, own, queues, dlqs] = await Promise.all([
    Promise.all(Object.entries(upstreams).map(([name, url]) => probe(name, url, config.UPSTREAM_TIMEOUT_MS))),
    ctx.ownChecks(),
    Promise.all(CONSUMING_SERVICES.map((service) => queueStats(ctx.broker, queueNames(service, prefix).work))),
    Promise.all(CONSUMING_SERVICES.map((service) => queueStats(ctx.broker, queueNames(service, prefix).dlq))),
  ]);
  const infrastructure: ServiceHealth[] = [
    { name: 'admin', status: Object.values(own).every((c) => c.status === 'up') ? 'up' : 'down', latencyMs: 0, details: own },
    ...(['postgres', 'redis', 'rabbitmq'] as const).map((name): ServiceHealth => {
      const check = own[name];
      return { name, status: check?.status ?? 'down', latencyMs: check?.latencyMs ?? null, ...(check?.error ? { details: { error: check.error } } : {}) };
    }),
  ];
  const services = [...probes, ...infrastructure];
  return {
    // A work or dead-letter queue that cannot be inspected (missing, broker trouble) degrades too.
    status:
      services.every((s) => s.status === 'up') && [...queues, ...dlqs].every((q) => !q.error)
        ? ('ok' as const)
        : ('degraded' as const),
    checkedAt: new Date().toISOString(),
    services,
    queues,
    deadLetters: dlqs.map((q) => ({ queue: q.name, count: q.messages, ...(q.error ? { error: q.error } : {}) })),
  };
}
