// Every /api route except the public allow-list needs a valid, unrevoked access token. The
// check runs in onRequest (before rate limiting, which is then keyed by user).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isPublicApiPath } from '../domain/routes.ts';

async function edgeAuth(fastify: FastifyInstance) {
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || isPublicApiPath(request.url)) return;
    await fastify.authenticate(request, reply);
  });
}

export const edgeAuthentication = fp(edgeAuth, { name: 'gateway-edge-auth', dependencies: ['kit-access-token'] });
