// /admin/health, /admin/dead-letters, /admin/events/replay, /admin/dashboard: operating the platform.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminContext } from '../context.ts';
import { dashboard } from '../use-cases/dashboard.ts';
import { browseDeadLetters, replayDeadLettersOf } from '../use-cases/dead-letters.ts';
import { replayFromAudit } from '../use-cases/event-replay.ts';
import { systemHealth } from '../use-cases/health.ts';
import { Dashboard, DeadLetterList, DeadLetterQuery, DeadLetterReplayBody, errorsFor, EventReplayBody, ReplayResult, SystemHealth } from '../schemas.ts';

export const operationRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  const common = { tags: ['operations'], security: [{ bearer: [] }] };
  const noStore = { 'cache-control': 'no-store' };

  app.get('/health', { schema: { ...common, summary: 'Readiness of every service, queue depths, dead letters', response: { 200: SystemHealth, ...errorsFor(401, 403) } } }, async (_request, reply) =>
    reply.headers(noStore).send(await systemHealth(ctx)),
  );

  app.get('/dead-letters', { schema: { ...common, summary: 'List dead letters (they stay in the queue)', querystring: DeadLetterQuery, response: { 200: DeadLetterList, ...errorsFor(400, 401, 403, 503) } } }, async (request, reply) =>
    reply.headers(noStore).send(await browseDeadLetters(ctx, request.query)),
  );

  app.post('/dead-letters/replay', { schema: { ...common, summary: "Move dead letters back to the service's work queue", body: DeadLetterReplayBody, response: { 200: ReplayResult, ...errorsFor(400, 401, 403, 503) } } }, async (request) =>
    replayDeadLettersOf(ctx, request.body, request.user.sub),
  );

  app.post('/events/replay', { schema: { ...common, summary: "Replay events of a type and time range from the audit log to one consumer's queue", body: EventReplayBody, response: { 200: ReplayResult, ...errorsFor(400, 401, 403, 503) } } }, async (request) =>
    replayFromAudit(ctx, request.body, request.user.sub),
  );

  app.get('/dashboard', { schema: { ...common, summary: 'Payment statistics and recent activity', response: { 200: Dashboard, ...errorsFor(401, 403) } } }, async (request, reply) =>
    reply.headers(noStore).send(await dashboard(ctx, { authorization: request.headers.authorization ?? '', requestId: request.id })),
  );
};
