// Reads of the configuration for components that are not administrators:
// - GET /admin/config/public: the public catalogue keys (maintenance switch, banner) for the
//   shell's banner, without a token (the gateway lists it as a public path);
// - GET /internal/config?service=: the current values of the catalogue keys a service applies,
//   which it loads at start and again on admin.config.updated. /internal is never proxied by
//   the gateway (it maps /api/admin/* only) nor by nginx: reachable inside the platform only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminContext } from '../context.ts';
import { appliedConfig, publicConfig } from '../use-cases/config.ts';
import { AppliedConfig, AppliedConfigQuery, errorsFor, PublicConfig } from '../schemas.ts';

export const publicConfigRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  app.get(
    '/config/public',
    { schema: { tags: ['configuration'], summary: 'Maintenance switch and banner message (no token needed)', response: { 200: PublicConfig } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return publicConfig(ctx);
    },
  );
};

export const internalConfigRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  app.get(
    '/config',
    { schema: { hide: true, querystring: AppliedConfigQuery, response: { 200: AppliedConfig, ...errorsFor(400) } } },
    async (request) => appliedConfig(ctx, request.query.service),
  );
};
