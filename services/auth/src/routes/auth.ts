// /auth/signup, /signin, /refresh, /signout, /me, /ws-ticket and the JWKS.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { wsTicketKey } from '@bank/kit';
import type { AuthContext } from '../context.ts';
import { InvalidRefreshToken } from '../domain/errors.ts';
import { me, refresh, signIn, signOut, signUp } from '../use-cases/accounts.ts';
import { errorsFor, RefreshBody, SignInBody, SignInResponse, SignUpBody, TokenPair, User } from '../schemas.ts';
import { clearRefreshCookie, readRefreshCookie, setRefreshCookie } from './refresh-cookie.ts';
import { requestMeta } from './meta.ts';

const WS_TICKET_TTL_SECONDS = 30;

export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AuthContext }> = async (app, { ctx }) => {
  const cookieMaxAge = ctx.config.REFRESH_TOKEN_TTL_DAYS * 86_400;
  const noStore = { 'cache-control': 'no-store' };

  app.post(
    '/signup',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Create a customer account', body: SignUpBody, response: { 201: Type.Object({ user: User }), ...errorsFor(400, 409, 429) } } },
    async (request, reply) => {
      const user = await signUp(ctx, request.body, requestMeta(request));
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/signin',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign in on a device', body: SignInBody, response: { 200: SignInResponse, ...errorsFor(400, 401, 403, 429) } } },
    async (request, reply) => {
      try {
        const result = await signIn(ctx, request.body, requestMeta(request));
        setRefreshCookie(reply, result.refreshToken, cookieMaxAge, ctx.config.COOKIE_SECURE);
        return reply.headers(noStore).send(result);
      } catch (err) {
        const retryAfter = (err as { extra?: { retryAfterSeconds?: number } }).extra?.retryAfterSeconds;
        if (retryAfter) reply.header('retry-after', String(retryAfter));
        throw err;
      }
    },
  );

  app.post(
    '/refresh',
    {
      config: { public: true },
      // Browsers send no body (the token is in the cookie): validate an empty object instead.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { tags: ['auth'], summary: 'Rotate the refresh token (body or cookie)', body: RefreshBody, response: { 200: TokenPair, ...errorsFor(400, 401) } } },
    async (request, reply) => {
      const token = request.body.refreshToken ?? readRefreshCookie(request);
      if (!token) throw InvalidRefreshToken('No refresh token in the body or cookie');
      try {
        const tokens = await refresh(ctx, token, requestMeta(request));
        setRefreshCookie(reply, tokens.refreshToken, cookieMaxAge, ctx.config.COOKIE_SECURE);
        return reply.headers(noStore).send(tokens);
      } catch (err) {
        clearRefreshCookie(reply, ctx.config.COOKIE_SECURE);
        throw err;
      }
    },
  );

  app.post(
    '/signout',
    { onRequest: [app.authenticate], schema: { tags: ['auth'], summary: 'Sign out this session', security: [{ bearer: [] }], response: { 204: Type.Null(), ...errorsFor(401) } } },
    async (request, reply) => {
      await signOut(ctx, request.user, requestMeta(request));
      clearRefreshCookie(reply, ctx.config.COOKIE_SECURE);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    { onRequest: [app.authenticate], schema: { tags: ['auth'], summary: 'The signed-in user', security: [{ bearer: [] }], response: { 200: Type.Object({ user: User }), ...errorsFor(401) } } },
    async (request, reply) => reply.headers({ 'cache-control': 'private, no-cache' }).send({ user: await me(ctx, request.user.sub) }),
  );

  app.post(
    '/ws-ticket',
    { onRequest: [app.authenticate], schema: { tags: ['auth'], summary: 'Single-use WebSocket ticket (30 s)', security: [{ bearer: [] }], response: { 200: Type.Object({ ticket: Type.String(), expiresIn: Type.Integer() }), ...errorsFor(401) } } },
    async (request, reply) => {
      const ticket = randomBytes(24).toString('base64url');
      const { sub, role, sid } = request.user;
      await ctx.redis.set(wsTicketKey(ticket), JSON.stringify({ sub, role, sid }), 'EX', WS_TICKET_TTL_SECONDS);
      return reply.headers(noStore).send({ ticket, expiresIn: WS_TICKET_TTL_SECONDS });
    },
  );

  app.get(
    '/.well-known/jwks.json',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Public keys for access tokens (JWKS)' } },
    async (_request, reply) =>
      reply.headers({ 'cache-control': 'public, max-age=300' }).send({ keys: [ctx.key.publicJwk] }),
  );
};
