// POST /api/monitoring/sentry-tunnel: the browser's Sentry envelopes, same-origin, forwarded to
// the browser project's ingest. Why a tunnel rather than the DSN's origin in the CSP's
// connect-src: /api reaches the gateway through both edges (native nginx and the Kubernetes
// Ingress), so one route works in both modes with the CSP left at 'self' — whereas the CSP lives
// in two places (ingress-nginx/native/security-headers.conf, the ingress controller's global
// add-headers) that would both have to be templated from the shell's DSN, and ad blockers drop
// requests to Sentry's hosts anyway (Sentry's own advice for `tunnel`).
// Not an open relay: only envelopes naming the configured BROWSER_SENTRY_DSN are forwarded, to
// that DSN's host only. Public (errors before sign-in count too); bounded body; rate limited with
// every other /api call (per user, else per client IP — plugins/rate-limit.ts, nginx in front).
// Nothing of the client is passed on (no cookies, Authorization or client address).
import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from '@bank/kit';
import { checkEnvelope, envelopeEndpoint } from '../domain/sentry-envelope.ts';

export const SENTRY_TUNNEL_PATH = '/api/monitoring/sentry-tunnel';

export interface SentryTunnelOptions {
  /** The browser project's DSN (the shell's BROWSER_SENTRY_DSN); empty = no route (404). */
  dsn: string;
  maxBytes: number;
  timeoutMs: number;
}

/** Sentry's answer headers the SDK acts on (it backs off on 429 / rate-limit categories). */
const PASSED_BACK = ['retry-after', 'x-sentry-rate-limits'];

export async function sentryTunnel(fastify: FastifyInstance, opts: SentryTunnelOptions) {
  if (!opts.dsn) return;
  const endpoint = envelopeEndpoint(opts.dsn);
  // The SDK posts a string (text/plain) or bytes; any type is read as bytes, up to the limit.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  fastify.post(SENTRY_TUNNEL_PATH, { bodyLimit: opts.maxBytes }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const check = checkEnvelope(body, opts.dsn);
    if (!check.ok) {
      return check.reason === 'malformed'
        ? sendProblem(reply, problem(request, 400, 'SENTRY_ENVELOPE_MALFORMED', 'Not a Sentry envelope', 'The first line must be a JSON header with the DSN'))
        : sendProblem(reply, problem(request, 403, 'SENTRY_DSN_NOT_ALLOWED', 'Envelope for another Sentry project', 'Only the configured browser DSN is forwarded'));
    }
    let answer: Response;
    try {
      answer = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-sentry-envelope' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      await answer.arrayBuffer(); // read to the end so the connection is reused
    } catch (error) {
      request.log.warn({ err: { message: (error as Error).message } }, 'Sentry did not take a browser envelope');
      return sendProblem(reply, problem(request, 502, 'SENTRY_UNREACHABLE', 'Sentry did not answer', 'The error report could not be forwarded'));
    }
    if (answer.status >= 500) {
      request.log.warn({ status: answer.status }, 'Sentry refused a browser envelope');
      return sendProblem(reply, problem(request, 502, 'SENTRY_UNREACHABLE', 'Sentry did not answer', `Sentry answered ${answer.status}`));
    }
    for (const name of PASSED_BACK) {
      const value = answer.headers.get(name);
      if (value) reply.header(name, value);
    }
    return reply.code(answer.status).send({});
  });
}
