// /auth/users: user administration, ADMIN only (the admin service calls these with the
// admin's own token, so authorisation is decided here, by the owner of the data).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuthContext } from '../context.ts';
import { changeRole, disableUser, enableUser, getUser, listUsers, revokeUserSessions } from '../use-cases/users-admin.ts';
import { errorsFor, IdParams, User, UserListQuery, UserPage, UserPatch } from '../schemas.ts';
import { requestMeta } from './meta.ts';

export const userRoutes: FastifyPluginAsyncTypebox<{ ctx: AuthContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  app.addHook('onRequest', app.requireRole('ADMIN'));
  const common = { tags: ['users (admin)'], security: [{ bearer: [] }] };

  app.get('/users', { schema: { ...common, summary: 'Search users', querystring: UserListQuery, response: { 200: UserPage, ...errorsFor(400, 401, 403) } } }, async (request) => listUsers(ctx, request.query));

  app.get('/users/:id', { schema: { ...common, summary: 'One user', params: IdParams, response: { 200: Type.Object({ user: User }), ...errorsFor(401, 403, 404) } } }, async (request) => ({
    user: await getUser(ctx, request.params.id),
  }));

  app.patch('/users/:id', { schema: { ...common, summary: 'Change role or status', params: IdParams, body: UserPatch, response: { 200: Type.Object({ user: User }), ...errorsFor(400, 401, 403, 404, 409) } } }, async (request) => {
    const meta = requestMeta(request);
    const { role, status } = request.body;
    let user = role ? await changeRole(ctx, request.user, request.params.id, role, meta) : undefined;
    if (status === 'disabled') user = (await disableUser(ctx, request.user, request.params.id, meta)).user;
    if (status === 'active') user = await enableUser(ctx, request.params.id, meta);
    return { user: user ?? (await getUser(ctx, request.params.id)) };
  });

  app.post('/users/:id/disable', { schema: { ...common, summary: 'Disable a user and revoke all their sessions', params: IdParams, response: { 200: Type.Object({ user: User, revokedSessions: Type.Integer() }), ...errorsFor(401, 403, 404, 409) } } }, async (request) =>
    disableUser(ctx, request.user, request.params.id, requestMeta(request)),
  );

  app.post('/users/:id/enable', { schema: { ...common, summary: 'Enable a disabled user again (they sign in anew)', params: IdParams, response: { 200: Type.Object({ user: User }), ...errorsFor(401, 403, 404) } } }, async (request) => ({
    user: await enableUser(ctx, request.params.id, requestMeta(request)),
  }));

  app.post('/users/:id/revoke-sessions', { schema: { ...common, summary: "Revoke all of a user's sessions", params: IdParams, response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorsFor(401, 403) } } }, async (request) => ({
    revoked: await revokeUserSessions(ctx, request.params.id, requestMeta(request)),
  }));
};
