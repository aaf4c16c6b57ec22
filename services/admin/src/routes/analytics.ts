// /admin/analytics: front-end measurements. POST is open to ANY signed-in user (every user's
// browser reports; this is the one admin route that is not ADMIN only); GET /summary is ADMIN.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminContext } from '../context.ts';
import { analyticsSummary, collectAnalytics } from '../use-cases/analytics.ts';
import { AnalyticsAccepted, AnalyticsBatch, AnalyticsQuery, AnalyticsSummary, errorsFor } from '../schemas.ts';

export const analyticsRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  const common = { tags: ['analytics'], security: [{ bearer: [] }] };
  app.addHook('onRequest', app.authenticate);

  app.post(
    '/analytics',
    { schema: { ...common, summary: 'Report front-end measurements (any signed-in user)', body: AnalyticsBatch, response: { 202: AnalyticsAccepted, ...errorsFor(400, 401) } } },
    async (request, reply) => reply.code(202).send(await collectAnalytics(ctx, request.user.sub, request.body.events)),
  );

  app.get(
    '/analytics/summary',
    { onRequest: app.requireRole('ADMIN'), schema: { ...common, summary: 'Per-metric count, mean and percentiles (default: last 24 h)', querystring: AnalyticsQuery, response: { 200: AnalyticsSummary, ...errorsFor(400, 401, 403) } } },
    async (request) => analyticsSummary(ctx, request.query),
  );
};
