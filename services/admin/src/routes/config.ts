// /admin/config: versioned system configuration.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminContext } from '../context.ts';
import { configHistory, getConfig, putConfig } from '../use-cases/config.ts';
import { ConfigEntry, ConfigKeyParams, ConfigList, ConfigPut, errorsFor } from '../schemas.ts';

export const configRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  const common = { tags: ['configuration'], security: [{ bearer: [] }] };

  app.get('/config', { schema: { ...common, summary: 'Current configuration', response: { 200: ConfigList, ...errorsFor(401, 403) } } }, async () => getConfig(ctx));

  app.put(
    '/config/:key',
    { schema: { ...common, summary: 'Set a key (new version); expectedVersion for optimistic concurrency', params: ConfigKeyParams, body: ConfigPut, response: { 200: ConfigEntry, ...errorsFor(400, 401, 403, 409) } } },
    async (request) =>
      putConfig(
        ctx,
        { key: request.params.key, value: request.body.value, ...(request.body.expectedVersion !== undefined ? { expectedVersion: request.body.expectedVersion } : {}) },
        { userId: request.user.sub, requestId: request.id },
      ),
  );

  app.get(
    '/config/:key/history',
    { schema: { ...common, summary: 'Every version of a key, newest first', params: ConfigKeyParams, response: { 200: ConfigList, ...errorsFor(401, 403, 404) } } },
    async (request) => configHistory(ctx, request.params.key),
  );
};
