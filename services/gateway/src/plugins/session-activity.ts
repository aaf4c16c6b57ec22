// Records session activity after every authenticated request the gateway answered (see
// domain/session-activity.ts). Runs in onResponse: never delays the response.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SessionActivityRecorder } from '../domain/session-activity.ts';

declare module 'fastify' {
  interface FastifyInstance {
    sessionActivity: SessionActivityRecorder;
  }
}

async function sessionActivityPlugin(fastify: FastifyInstance, opts: { key: string; throttleMs: number }) {
  const recorder = new SessionActivityRecorder({ redis: fastify.redis, key: opts.key, throttleMs: opts.throttleMs });
  fastify.decorate('sessionActivity', recorder);
  fastify.addHook('onResponse', async (request, reply) => {
    // request.user is set once the token verified; a revoked session ends in 401 and is not activity.
    if (request.user?.sid && reply.statusCode !== 401) recorder.touch(request.user.sid);
  });
}

export const sessionActivity = fp(sessionActivityPlugin, { name: 'gateway-session-activity', dependencies: ['kit-redis'] });
