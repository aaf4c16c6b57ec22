// One error format for every service: RFC 9457 problem details with a stable `code`.
// Domain code throws `AppError`s made by `defineError`; the central handler maps them (and
// Fastify's own validation/404/rate-limit errors) to a problem body, logs with context and
// hides the details of anything unexpected (5xx).
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemSchema } from './schemas.ts';
import { dependencyFailure } from './dependency-errors.ts';
import { reportError } from './error-reporting.ts';
import { closeAfterAnswer } from './lingering-close.ts';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
  [extra: string]: unknown;
}

export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly title: string;
  readonly extra: Record<string, unknown> | undefined;
  /** A state the service chose to answer with (maintenance), not a failure: see `DefineErrorOptions`. */
  readonly refusal: boolean;
  constructor(code: string, statusCode: number, title: string, detail?: string, extra?: Record<string, unknown>, refusal = false) {
    super(detail ?? title);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = statusCode;
    this.title = title;
    this.extra = extra;
    this.refusal = refusal;
  }
}

export interface DefineErrorOptions {
  /**
   * A 5xx the service answers on purpose (payments paused for maintenance): logged at info with
   * its code and not reported to Sentry. Every request during a maintenance window would
   * otherwise be an ERROR line with a stack trace and an error report.
   */
  refusal?: boolean;
}

/**
 * Declare an error once, throw it anywhere:
 *   export const PaymentNotFound = defineError('PAYMENTS_NOT_FOUND', 404, 'Payment not found');
 *   throw PaymentNotFound(`No payment ${id}`);
 */
export function defineError(code: string, statusCode: number, title: string, options: DefineErrorOptions = {}) {
  const make = (detail?: string, extra?: Record<string, unknown>) =>
    new AppError(code, statusCode, title, detail, extra, options.refusal ?? false);
  make.code = code;
  make.statusCode = statusCode;
  return make;
}

export const CommonErrors = {
  validation: defineError('VALIDATION_FAILED', 400, 'Request validation failed'),
  notFound: defineError('NOT_FOUND', 404, 'Not found'),
  unauthorized: defineError('UNAUTHORIZED', 401, 'Authentication required'),
  forbidden: defineError('FORBIDDEN', 403, 'Forbidden'),
  rateLimited: defineError('RATE_LIMITED', 429, 'Too many requests'),
  payloadTooLarge: defineError('PAYLOAD_TOO_LARGE', 413, 'Payload too large'),
  unsupportedMedia: defineError('UNSUPPORTED_MEDIA_TYPE', 415, 'Unsupported media type'),
  internal: defineError('INTERNAL_ERROR', 500, 'Internal server error'),
};

export function problem(
  request: FastifyRequest,
  status: number,
  code: string,
  title: string,
  detail?: string,
  extra?: Record<string, unknown>,
): ProblemBody {
  return {
    type: `https://errors.bank.local/${code.toLowerCase().replace(/_/g, '-')}`,
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
    requestId: request.id,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

/** Maps Fastify's built-in error codes to our stable codes. */
function fromFastifyError(error: FastifyError): { status: number; code: string; title: string } | undefined {
  if (error.validation) return { status: 400, code: 'VALIDATION_FAILED', title: 'Request validation failed' };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Payload too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', title: 'Unsupported media type' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'INVALID_JSON', title: 'Body is not valid JSON' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'INVALID_CONTENT_LENGTH', title: 'Invalid content length' };
    case 'FST_JWT_NO_AUTHORIZATION_IN_HEADER':
    case 'FST_JWT_AUTHORIZATION_TOKEN_INVALID':
    case 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED':
    case 'FST_JWT_BAD_REQUEST':
      return { status: 401, code: 'UNAUTHORIZED', title: 'Authentication required' };
  }
  if (error.statusCode === 429) return { status: 429, code: 'RATE_LIMITED', title: 'Too many requests' };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return { status: error.statusCode, code: 'BAD_REQUEST', title: 'Bad request' };
  return undefined;
}

/** What an error report says about its request: ids and the route pattern, never the URL's values. */
function errorContext(request: FastifyRequest) {
  const user = (request as { user?: { sub?: unknown } }).user;
  return {
    requestId: request.id,
    method: request.method,
    ...(request.routeOptions.url ? { route: request.routeOptions.url } : {}),
    ...(typeof user?.sub === 'string' ? { userId: user.sub } : {}),
  };
}

const ABORT_ERRORS = new Set(['RequestAbortedError', 'AbortError']);
const clientAborted = (raw: { aborted?: boolean; destroyed?: boolean }, error: Error): boolean =>
  ABORT_ERRORS.has(error.name) && (raw.aborted === true || raw.destroyed === true);

async function errorsPlugin(fastify: FastifyInstance) {
  fastify.addSchema(ProblemSchema);
  fastify.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.statusCode >= 500 && error.refusal) request.log.info({ code: error.code }, 'request refused');
      else if (error.statusCode >= 500) {
        request.log.error({ err: error }, 'request failed');
        reportError(error, errorContext(request));
      }
      return sendProblem(
        reply,
        problem(request, error.statusCode, error.code, error.title, error.message, error.extra),
      );
    }
    const known = fromFastifyError(error);
    if (known) {
      const errors = error.validation?.map((v) => ({
        path: `${error.validationContext ?? ''}${v.instancePath}`,
        message: v.message ?? 'invalid',
      }));
      request.log.info({ code: known.code, err: { message: error.message } }, 'request rejected');
      // A body over the limit is refused before it is read: end the connection after the 413
      // without a reset that could discard it (the hostile-input suite lost it under load).
      if (known.status === 413) {
        reply.header('connection', 'close');
        closeAfterAnswer(request.raw.socket);
      }
      if (known.status === 429 && !reply.getHeader('retry-after')) reply.header('retry-after', '60');
      return sendProblem(
        reply,
        problem(request, known.status, known.code, known.title, error.message, errors ? { errors } : undefined),
      );
    }
    // A dependency down (PostgreSQL, Redis): 503 with a stable code, so clients retry and alerts
    // say what is wrong; logged without the failing query's data (log-serializers.ts).
    const unavailable = dependencyFailure(error);
    if (unavailable) {
      request.log.warn({ err: error, dependency: unavailable.dependency }, 'dependency unavailable');
      reply.header('retry-after', '1');
      return sendProblem(reply, problem(request, unavailable.status, unavailable.code, unavailable.title));
    }
    // The client went away mid-request (an aborted fetch, a closed tab): undici and the body stream
    // fail with an abort, but nobody is there to answer and nothing is wrong on our side — not an
    // error to page anyone about or report to Sentry.
    if (clientAborted(request.raw, error)) {
      request.log.info({ err: { name: error.name, message: error.message } }, 'client aborted the request');
      return sendProblem(reply, problem(request, 499, 'CLIENT_CLOSED_REQUEST', 'Client closed the request'));
    }
    // Unexpected: log everything, reveal nothing.
    request.log.error({ err: error }, 'unhandled error');
    reportError(error, errorContext(request));
    return sendProblem(reply, problem(request, 500, 'INTERNAL_ERROR', 'Internal server error'));
  });

  fastify.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(request, 404, 'NOT_FOUND', 'Not found', `No route for ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}

export const errors = fp(errorsPlugin, { name: 'kit-errors', fastify: '5.x' });
