// prom-client on the default registry: process metrics plus HTTP RED metrics labelled by
// route template (never the raw URL, which would explode cardinality). /metrics is served on
// the service port but is never routed by nginx or the ingress.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import client from 'prom-client';

export { client as prom };

let defaultsRegistered = false;

/** Get or create a metric so plugins registered twice (tests) don't throw "already registered". */
export function metric<T>(name: string, create: () => T): T {
  return (client.register.getSingleMetric(name) as T | undefined) ?? create();
}

async function metricsPlugin(fastify: FastifyInstance, opts: { service: string }) {
  if (!defaultsRegistered) {
    client.register.setDefaultLabels({ service: opts.service });
    client.collectDefaultMetrics();
    defaultsRegistered = true;
  }
  const duration = metric(
    'http_request_duration_seconds',
    () =>
      new client.Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by route',
        labelNames: ['method', 'route', 'status_code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      }),
  );
  const total = metric(
    'http_requests_total',
    () =>
      new client.Counter({
        name: 'http_requests_total',
        help: 'HTTP requests by route and status',
        labelNames: ['method', 'route', 'status_code'],
      }),
  );

  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics' || route.startsWith('/health/')) return;
    const labels = { method: request.method, route, status_code: String(reply.statusCode) };
    duration.observe(labels, reply.elapsedTime / 1000);
    total.inc(labels);
  });

  fastify.get('/metrics', { logLevel: 'warn', config: { public: true } }, async (_req, reply) => {
    reply.type(client.register.contentType);
    return client.register.metrics();
  });
}

export const metrics = fp(metricsPlugin, { name: 'kit-metrics', fastify: '5.x' });
