// Error serialisation for logs: what an operator needs to diagnose a failure, never the data the
// failing query carried. Drizzle's DrizzleQueryError puts every bound parameter in its message
// ("Failed query: … params: <email>,<argon2id hash>,<ip>") and in `params`; postgres.js errors
// carry `parameters`/`args` (non-enumerable unless debug) and a `detail` quoting the offending
// values ("Key (email)=(ann@example.com) already exists."). So errors are logged from an allowlist
// of diagnostic fields, with parameter lists cut out of messages and stacks, recursively through
// `cause` and AggregateError's `errors`.
const SAFE_FIELDS = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'statusCode',
  // PostgreSQL's own diagnostics (no values): which constraint/table/column, severity, routine.
  'severity',
  'constraint_name',
  'table_name',
  'column_name',
  'schema_name',
  'data_type_name',
  'routine',
] as const;

const MAX_DEPTH = 5;
/** Drizzle appends the bound values after the query text; nothing after it is kept. */
const DRIZZLE_PARAMS = /\nparams: [\s\S]*?(?=\n\s+at |$)/;

export function withoutParameters(text: string): string {
  return text.replace(DRIZZLE_PARAMS, '\nparams: [redacted]');
}

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: unknown;
  errors?: unknown[];
  [field: string]: unknown;
}

export function serializeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) {
    // Already a plain object the caller shaped (e.g. `{ message }`): only its message is cleaned.
    if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
      return { ...value, message: withoutParameters((value as { message: string }).message) };
    }
    return value;
  }
  const out: SerializedError = {
    type: value.constructor?.name || value.name || 'Error',
    message: withoutParameters(value.message),
  };
  if (value.stack) out.stack = withoutParameters(value.stack);
  const record = value as unknown as Record<string, unknown>;
  for (const field of SAFE_FIELDS) {
    const v = record[field];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[field] = v;
  }
  if (depth < MAX_DEPTH) {
    if (value.cause !== undefined) out.cause = serializeError(value.cause, depth + 1);
    if (value instanceof AggregateError) out.errors = value.errors.map((e: unknown) => serializeError(e, depth + 1));
  }
  return out;
}

/** pino `serializers`: the same treatment whether a caller logs `{ err }` or `{ error }`. */
export const errorSerializers = { err: serializeError, error: serializeError };
