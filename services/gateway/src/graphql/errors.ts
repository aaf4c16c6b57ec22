// GraphQL errors carry the same stable codes as the REST problem bodies: every error in
// `errors[]` has `extensions.code` (e.g. PAYMENTS_NOT_FOUND, AUTH_SESSION_REVOKED) and
// `extensions.status` (the HTTP status REST would have answered). This formatter is the one place
// that maps what can go wrong — a refused request before execution (token, rate limit, body), a
// GraphQL syntax/validation/limit error, an upstream problem — and hides anything unexpected.
import type { GraphQLError as GraphQLErrorType } from 'graphql';
import { graphql } from './graphql-js.ts';
import type { FastifyReply } from 'fastify';
import { AppError, defineError } from '@bank/kit';

const { GraphQLError } = graphql;
type GraphQLError = GraphQLErrorType;

export const GraphqlErrors = {
  validation: defineError('GRAPHQL_VALIDATION_FAILED', 400, 'The GraphQL document is not valid'),
  tooDeep: defineError('GRAPHQL_TOO_DEEP', 400, 'The query is nested too deeply'),
  tooComplex: defineError('GRAPHQL_TOO_COMPLEX', 400, 'The query is too complex'),
  tooLarge: defineError('GRAPHQL_QUERY_TOO_LARGE', 413, 'The query document is too large'),
  disabled: defineError('GRAPHQL_DISABLED', 404, 'GraphQL is switched off'),
  subscriptionOverHttp: defineError('GRAPHQL_SUBSCRIPTION_OVER_HTTP', 400, 'Subscriptions need graphql-ws'),
  idempotencyKeyRequired: defineError('PAYMENTS_IDEMPOTENCY_KEY_REQUIRED', 400, 'Idempotency-Key required'),
  methodNotAllowed: defineError('METHOD_NOT_ALLOWED', 405, 'Method not allowed'),
};

export interface ErrorExtensions {
  code: string;
  status: number;
  requestId?: string;
  [extra: string]: unknown;
}

/** Fastify's and Mercurius's own error codes → our stable codes (the kit's REST mapping, same names). */
function fromFrameworkError(error: { code?: string; statusCode?: number; validation?: unknown }): { code: string; status: number } | undefined {
  if (error.validation) return { code: 'VALIDATION_FAILED', status: 400 };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'PAYLOAD_TOO_LARGE', status: 413 };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: 'INVALID_JSON', status: 400 };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'INVALID_CONTENT_LENGTH', status: 400 };
    case 'MER_ERR_GQL_QUERY_DEPTH':
      return { code: GraphqlErrors.tooDeep.code, status: 400 };
    case 'MER_ERR_GQL_VALIDATION':
    case 'MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND':
    case 'MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED':
    case 'MER_ERR_GQL_PERSISTED_QUERY_MISMATCH':
    case 'MER_ERR_GQL_CSRF_PREVENTION':
    case 'MER_ERR_INVALID_METHOD':
      return { code: GraphqlErrors.validation.code, status: 400 };
    case 'MER_ERR_METHOD_NOT_ALLOWED':
      return { code: 'METHOD_NOT_ALLOWED', status: 405 };
  }
  if (error.statusCode === 429) return { code: 'RATE_LIMITED', status: 429 };
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return { code: 'BAD_REQUEST', status: error.statusCode };
  return undefined;
}

/** The code and status of one error, and whether its message may be shown. */
export function classify(error: GraphQLError): { extensions: ErrorExtensions; message: string } {
  const ours = error.extensions as Partial<ErrorExtensions> | undefined;
  if (typeof ours?.code === 'string' && typeof ours.status === 'number') return { extensions: ours as ErrorExtensions, message: error.message };
  const original = error.originalError as (Error & { code?: string; statusCode?: number; validation?: unknown }) | undefined;
  if (original instanceof AppError) {
    return { extensions: { code: original.code, status: original.statusCode, ...original.extra }, message: original.statusCode >= 500 ? original.title : original.message };
  }
  if (!original) {
    // A GraphQLError of graphql-js itself: syntax, unknown field, wrong argument type.
    return { extensions: { code: GraphqlErrors.validation.code, status: 400 }, message: error.message };
  }
  const known = fromFrameworkError(original);
  if (known) return { extensions: known, message: original.message };
  return { extensions: { code: 'INTERNAL_ERROR', status: 500 }, message: 'Internal server error' };
}

/** Mercurius wraps validation failures in one error carrying the list; unwrap them. */
function flatten(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const nested = (error.originalError as { errors?: unknown } | undefined)?.errors;
    if (Array.isArray(nested) && nested.length > 0) {
      // A nested plain Error (e.g. "Operation cannot be performed via a GET request") takes the
      // wrapper's code; one with a code of its own (the depth limit's) keeps it.
      return nested.map((e: unknown) =>
        e instanceof GraphQLError
          ? e
          : new GraphQLError((e as Error).message ?? 'Invalid request', { originalError: (e as { code?: unknown }).code ? (e as Error) : error.originalError }),
      );
    }
    return [error];
  });
}

interface Execution {
  data?: unknown;
  errors: readonly GraphQLError[];
}

/**
 * Mercurius's errorFormatter: the response body and HTTP status. With data (execution ran) the
 * status is 200 and each error says its own status; without data (refused before execution) the
 * status is the error's, so HTTP-level clients and proxies see 400/401/413/429 like REST.
 */
export function formatGraphqlErrors(execution: Execution, context: { reply?: FastifyReply }) {
  const reply = context.reply;
  const requestId = reply?.request.id;
  const errors = flatten(execution.errors).map((error) => {
    const { extensions, message } = classify(error);
    if (extensions.status >= 500) reply?.log.error({ err: error.originalError ?? error }, 'graphql error');
    else reply?.log.info({ code: extensions.code, err: { message: error.message } }, 'graphql request refused');
    return {
      message,
      ...(error.locations ? { locations: error.locations } : {}),
      ...(error.path ? { path: error.path } : {}),
      extensions: { ...extensions, ...(requestId ? { requestId } : {}) },
    };
  });
  const statusCode = execution.data ? 200 : Math.max(...errors.map((e) => e.extensions.status), 400);
  return { statusCode, response: { data: execution.data ?? null, errors } };
}
