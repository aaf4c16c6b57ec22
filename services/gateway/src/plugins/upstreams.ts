// /api/<service>/* → <service> /<service>/* with @fastify/http-proxy: bodies streamed (no
// preValidation, which would buffer them), identity headers replaced by verified ones,
// request id and X-Forwarded-* passed on, transport failures mapped to 502/503/504.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import proxy from '@fastify/http-proxy';
import { closeAfterAnswer, problem, sendProblem } from '@bank/kit';
import { classifyUpstreamError } from '../domain/upstream-errors.ts';
import { stripClientIdentity, type UpstreamService } from '../domain/routes.ts';
import { bodyLimit, bodyWasTooLarge } from './body-limit.ts';

export interface UpstreamsOptions {
  services: Record<UpstreamService, string>;
  timeoutMs: number;
  connectTimeoutMs: number;
  connections: number;
  /** BODY_LIMIT_BYTES: enforced on the proxied routes only (the other routes parse their bodies under Fastify's own limit). */
  bodyLimit: number;
}

export function upstreamHeaders(request: FastifyRequest, headers: Record<string, string | string[] | undefined>) {
  const out: Record<string, string | string[] | undefined> = { ...headers };
  stripClientIdentity(out);
  // Node has already answered `Expect: 100-continue`; undici refuses to send an Expect header
  // (→ 502 for every curl upload over 1 KiB), and it is hop-by-hop anyway.
  delete out.expect;
  // The trace context is the gateway's own (its request span, a child of the client's): undici's
  // instrumentation adds it with addHeader, so a copied client `traceparent` made two values that
  // the service could not parse — its spans started a new trace.
  delete out.traceparent;
  delete out.tracestate;
  out['x-request-id'] = request.id;
  // The client address as resolved from the trusted hops only (TRUSTED_PROXIES), never the chain
  // the client sent: services trust the gateway and take this single value.
  out['x-forwarded-for'] = request.ip;
  out['x-forwarded-proto'] = headers['x-forwarded-proto'] ?? request.protocol;
  out['x-forwarded-host'] = headers['x-forwarded-host'] ?? headers.host;
  if (request.user) {
    out['x-user-id'] = request.user.sub;
    out['x-user-role'] = request.user.role;
    out['x-session-id'] = request.user.sid;
  }
  return out;
}

// Hop-by-hop headers describe the gateway↔service connection, not the client's. reply-from
// copies an HTTP/1 upstream's response headers verbatim, so a client that sent
// `Connection: close` was answered `connection: keep-alive`, kept the socket, and its next
// request was refused by Node's parser (400 "Client Error") — e.g. behind a proxy that sends
// `Connection: close` upstream.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];

export function withoutHopByHop<T extends Record<string, unknown>>(headers: T): T {
  const out: Record<string, unknown> = { ...headers };
  const named = typeof headers.connection === 'string' ? headers.connection.split(',').map((h) => h.trim().toLowerCase()) : [];
  for (const h of [...HOP_BY_HOP, ...named]) delete out[h];
  return out as T;
}

async function upstreams(fastify: FastifyInstance, opts: UpstreamsOptions) {
  // One encapsulated scope for the proxies: the streamed-body limit's two hooks run on proxied
  // requests only, not on /ws, /graphql, health or metrics.
  await fastify.register(async (scope) => {
    await scope.register(bodyLimit, { limit: opts.bodyLimit });
    for (const [service, upstream] of Object.entries(opts.services)) await registerProxy(scope, service, upstream, opts);
  });
}

async function registerProxy(fastify: FastifyInstance, service: string, upstream: string, opts: UpstreamsOptions) {
  await fastify.register(proxy, {
    upstream,
    prefix: `/api/${service}`,
    rewritePrefix: `/${service}`,
    http: undefined,
    // The service logs the same request (same x-request-id): the gateway's line only at debug,
    // unless it failed; reply-from's own two info lines per call ("fetching from remote server",
    // "response received") are off.
    config: { accessLogLevel: 'debug' },
    disableRequestLogging: true,
    undici: {
      connections: opts.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connectTimeout: opts.connectTimeoutMs,
    },
    replyOptions: {
      rewriteRequestHeaders: (request, headers) => upstreamHeaders(request as FastifyRequest, headers) as typeof headers,
      rewriteHeaders: (headers) => withoutHopByHop(headers),
      onError: (rawReply, { error }) => {
        const reply = rawReply as unknown as FastifyReply;
        // Part of the upload is still unread: close, or it would be parsed as the next request.
        if (!reply.request.raw.complete) {
          reply.header('connection', 'close');
          // Node keeps reading a half-received body otherwise; end the socket once answered.
          closeAfterAnswer(reply.request.raw.socket);
        }
        if (bodyWasTooLarge(reply.request)) {
          sendProblem(reply, problem(reply.request, 413, 'PAYLOAD_TOO_LARGE', 'Payload too large', 'The body exceeds the limit'));
          return;
        }
        const failure = classifyUpstreamError(error);
        reply.request.log.warn({ service, upstream, status: failure.status, err: { message: (error as Error).message } }, 'upstream call failed');
        sendProblem(reply, problem(reply.request, failure.status, failure.code, failure.title, `The ${service} service did not answer`));
      },
    },
  });
}

export const upstreamProxies = fp(upstreams, { name: 'gateway-upstreams' });
