// Builds a service's Fastify instance the one way every service uses, and runs it with
// graceful shutdown. `createService` is what tests call (then `inject`); `runService` is what
// src/server.ts calls (listen + close-with-grace).
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import closeWithGrace from 'close-with-grace';
import fp from 'fastify-plugin';
import { pino } from 'pino';
import { loggerOptions } from './logger.ts';
import { flushLogs, logDestination } from './log-destination.ts';
import { errors } from './errors.ts';
import { flushTelemetry } from './telemetry-shutdown.ts';
import { clientErrorHandler, frameworkErrors, input, validatorCompilers } from './input.ts';
import { health } from './health.ts';
import { metrics } from './metrics.ts';
import { accessLog, AccessLogController } from './access-log.ts';
import { parseTrustedProxies, sanitiseForwardedFor } from './client-ip.ts';

export interface ServiceOptions<C> {
  name: string;
  config: C & { LOG_LEVEL: string; NODE_ENV: string; TRUSTED_PROXIES?: string };
  app: FastifyPluginAsync<{ config: C }>;
  fastify?: Partial<FastifyServerOptions>;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export async function createService<C>(opts: ServiceOptions<C>) {
  const pretty = process.stdout.isTTY === true && opts.config.NODE_ENV === 'development';
  const trustedProxies = parseTrustedProxies(opts.config.TRUSTED_PROXIES ?? '');
  const fastify = Fastify({
    // JSON lines to a buffered stdout (log-destination.ts); pretty output goes through
    // pino-pretty's transport (its own worker thread) instead.
    loggerInstance: pretty
      ? pino(loggerOptions(opts.name, opts.config.LOG_LEVEL, true))
      : pino(loggerOptions(opts.name, opts.config.LOG_LEVEL), logDestination()),
    // X-Forwarded-* are believed only from the configured proxy hops (client-ip.ts): the client
    // IP is the right-most address that is not a trusted proxy, never a value the client chose.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    // Read x-request-id in genReqId (validated) rather than trusting it blindly.
    requestIdHeader: false,
    // Accept the caller's request id only when it looks like one; otherwise mint our own.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Coercion only for query strings, params and headers (bodies are typed JSON); see input.ts.
    ajv: { customOptions: { removeAdditional: false, useDefaults: true, allErrors: true } },
    schemaController: validatorCompilers(),
    // Protocol-level and router-level rejections answer problem+json like everything else.
    clientErrorHandler,
    frameworkErrors,
    // Node answers a missing Host with a bare 400; the kit answers it (input.ts) with a problem body.
    http: { requireHostHeader: false },
    // One line per request instead (access-log.ts).
    logController: new AccessLogController(),
    ...opts.fastify,
  }).withTypeProvider<TypeBoxTypeProvider>();

  fastify.addHook('onRequest', async (request, reply) => {
    // Before anything reads request.ip: a malformed X-Forwarded-For entry (and whatever the client
    // put left of it) is dropped, so the address is always well-formed.
    const forwarded = request.headers['x-forwarded-for'];
    if (forwarded !== undefined) {
      const clean = sanitiseForwardedFor(Array.isArray(forwarded) ? forwarded.join(',') : forwarded);
      if (clean === undefined) delete request.headers['x-forwarded-for'];
      else request.headers['x-forwarded-for'] = clean;
    }
    reply.header('x-request-id', request.id);
  });
  await fastify.register(accessLog);
  await fastify.register(errors);
  await fastify.register(input);
  await fastify.register(health);
  await fastify.register(metrics, { service: opts.name });
  // The app is registered without encapsulation so tests can reach its decorators (db, redis…).
  await fastify.register(fp(opts.app, { name: `${opts.name}-app` }), { config: opts.config });
  return fastify as unknown as FastifyInstance;
}

export async function runService<C>(
  opts: ServiceOptions<C> & { port: number; host: string; shutdownGraceMs?: number },
): Promise<FastifyInstance> {
  const fastify = await createService(opts);
  closeWithGrace({ delay: opts.shutdownGraceMs ?? 10_000 }, async ({ signal, err }) => {
    if (err) fastify.log.error({ err }, 'shutting down after error');
    else fastify.log.info({ signal }, 'shutting down');
    // Node closes the keep-alive sockets idle when close() starts, not those whose request is
    // still in flight: after their response they would hold close() open until the client's idle
    // timeout, past the grace delay, and the process would exit without the flush below.
    const closeIdle = setInterval(() => fastify.server.closeIdleConnections(), 100).unref();
    await fastify.close().finally(() => clearInterval(closeIdle));
    // Spans still batched and queued error reports (telemetry-shutdown.ts) go out before the exit.
    await flushTelemetry();
    // Then the log lines still buffered, this handler's included (log-destination.ts).
    await flushLogs();
  });
  await fastify.listen({ port: opts.port, host: opts.host });
  return fastify;
}
