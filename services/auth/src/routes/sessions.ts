// /auth/sessions: the signed-in user's devices.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuthContext } from '../context.ts';
import { listSessions, revokeOtherSessions, revokeSession } from '../use-cases/sessions.ts';
import { errorsFor, IdParams, Session } from '../schemas.ts';
import { requestMeta } from './meta.ts';

export const sessionRoutes: FastifyPluginAsyncTypebox<{ ctx: AuthContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const common = { tags: ['sessions'], security: [{ bearer: [] }] };

  app.get('/sessions', { schema: { ...common, summary: 'My active sessions and devices', response: { 200: Type.Object({ items: Type.Array(Session) }), ...errorsFor(401) } } }, async (request, reply) =>
    reply.headers({ 'cache-control': 'no-store' }).send({ items: await listSessions(ctx, request.user) }),
  );

  app.delete('/sessions/:id', { schema: { ...common, summary: 'Revoke one of my sessions', params: IdParams, response: { 204: Type.Null(), ...errorsFor(400, 401, 404) } } }, async (request, reply) => {
    await revokeSession(ctx, request.user, request.params.id, requestMeta(request));
    return reply.code(204).send(null);
  });

  app.post('/sessions/revoke-others', { schema: { ...common, summary: 'Log out all my other devices', response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorsFor(401) } } }, async (request) => ({
    revoked: await revokeOtherSessions(ctx, request.user, requestMeta(request)),
  }));
};
