// /admin/users: user management, forwarded to auth with the administrator's own token.
// Responses (success and problem bodies) are auth's, unchanged.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminContext } from '../context.ts';
import type { UpstreamResponse } from '../clients/upstream.ts';
import { disableUser, enableUser, patchUser, revokeUserSessions, searchUsers, type Caller } from '../use-cases/users.ts';
import { errorsFor, UserIdParams, UserPatch, UserSearchQuery } from '../schemas.ts';

const caller = (request: FastifyRequest): Caller => ({ authorization: request.headers.authorization ?? '', requestId: request.id });
const relay = (reply: FastifyReply, res: UpstreamResponse) => reply.code(res.status).type(res.contentType).send(res.body);

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AdminContext }> = async (app, { ctx }) => {
  const common = { tags: ['users'], security: [{ bearer: [] }] };
  const upstreamErrors = errorsFor(400, 401, 403, 404, 409, 502);

  app.get('/users', { schema: { ...common, summary: 'Search users (auth)', querystring: UserSearchQuery, response: upstreamErrors } }, async (request, reply) =>
    relay(reply, await searchUsers(ctx, request.query, caller(request))),
  );

  app.patch('/users/:id', { schema: { ...common, summary: 'Change role or status (auth)', params: UserIdParams, body: UserPatch, response: upstreamErrors } }, async (request, reply) =>
    relay(reply, await patchUser(ctx, request.params.id, request.body, caller(request))),
  );

  app.post('/users/:id/disable', { schema: { ...common, summary: 'Disable a user; auth revokes their sessions', params: UserIdParams, response: upstreamErrors } }, async (request, reply) =>
    relay(reply, await disableUser(ctx, request.params.id, caller(request))),
  );

  app.post('/users/:id/enable', { schema: { ...common, summary: 'Enable a disabled user again (auth)', params: UserIdParams, response: upstreamErrors } }, async (request, reply) =>
    relay(reply, await enableUser(ctx, request.params.id, caller(request))),
  );

  app.post('/users/:id/revoke-sessions', { schema: { ...common, summary: "Revoke all of a user's sessions (auth)", params: UserIdParams, response: upstreamErrors } }, async (request, reply) =>
    relay(reply, await revokeUserSessions(ctx, request.params.id, caller(request))),
  );
};
