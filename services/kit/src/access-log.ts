// One access-log line per request, in every service (Fastify's own "incoming request" and
// "request completed" pair is off: two lines per request cost the gateway more than its proxying).
// Written after the response: method, route pattern, status, duration, user; the request id
// comes from the request logger's bindings (reqId), the trace id from the logger's mixin.
// A route may lower its line's level with `config.accessLogLevel` (the gateway's proxied routes:
// the upstream service logs the same request under the same request id) — unless it failed
// (4xx/5xx), which is always logged at info. A route's `logLevel` (e.g. /metrics at warn) still
// silences it.
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LevelWithSilent, Logger } from 'pino';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Level of this route's access-log line when it succeeds (default info). */
    accessLogLevel?: 'info' | 'debug' | 'trace';
  }
}

async function accessLogPlugin(fastify: FastifyInstance) {
  fastify.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const level: LevelWithSilent = status >= 400 ? 'info' : (request.routeOptions.config?.accessLogLevel ?? 'info');
    // The kit's logger is pino (server.ts): skip building the line when its level is off.
    if (!(request.log as unknown as Logger).isLevelEnabled(level)) return;
    request.log[level](
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        userId: (request as { user?: { sub?: string } }).user?.sub,
      },
      'request',
    );
  });
}

/**
 * Fastify's per-request lines off (its `logController` option): no "incoming request", no
 * "request completed" — the line above replaces both. A response stream that errored is still
 * logged by Fastify, as that is not visible in onResponse.
 */
export class AccessLogController extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (error) super.requestCompleted(error, request, reply);
  }
}

export const accessLog = fp(accessLogPlugin, { name: 'kit-access-log', fastify: '5.x' });
