// /profile/me: the signed-in user's own profile (any role). Responses are private to the user.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ProfileContext } from '../context.ts';
import { getMyProfile, updateMyProfile } from '../use-cases/profiles.ts';
import { errorsFor, Profile, ProfilePatch } from '../schemas.ts';

export const profileRoutes: FastifyPluginAsyncTypebox<{ ctx: ProfileContext }> = async (app, { ctx }) => {
  app.addHook('onRequest', app.authenticate);
  const common = { tags: ['profile'], security: [{ bearer: [] }] };
  const privateNoCache = { 'cache-control': 'private, no-cache' };

  app.get(
    '/me',
    { schema: { ...common, summary: 'My profile (created with defaults if it does not exist yet)', response: { 200: Profile, ...errorsFor(401) } } },
    async (request, reply) => reply.headers(privateNoCache).send(await getMyProfile(ctx, request.user.sub)),
  );

  app.patch(
    '/me',
    { schema: { ...common, summary: 'Update my profile', body: ProfilePatch, response: { 200: Profile, ...errorsFor(400, 401) } } },
    async (request, reply) =>
      reply.headers(privateNoCache).send(await updateMyProfile(ctx, request.user.sub, request.body, { requestId: request.id })),
  );
};
