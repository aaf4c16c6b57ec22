// /admin/monitoring/series: time series for the Monitoring page (ADMIN only, under /admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminContext } from '../context.ts';
import type { MetricsCollector } from '../use-cases/monitoring-collector.ts';
import { monitoringSeries } from '../use-cases/monitoring-series.ts';
import { errorsFor, MonitoringQuery, MonitoringSeries } from '../schemas.ts';

export const monitoringRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext; collector: MetricsCollector | undefined }> = async (app, { ctx, collector }) => {
  app.get(
    '/monitoring/series',
    {
      schema: {
        tags: ['operations'],
        security: [{ bearer: [] }],
        summary: 'Request/error rates, latency percentiles, queues, WebSocket, cache, payments and web vitals over a range',
        querystring: MonitoringQuery,
        response: { 200: MonitoringSeries, ...errorsFor(400, 401, 403, 502) },
      },
    },
    async (request, reply) => reply.header('cache-control', 'no-store').send(await monitoringSeries({ ...ctx, collector }, request.query.range)),
  );
};
