// CLIENT spans around postgres.js queries (OpenTelemetry has no postgres.js instrumentation).
// `traceSql` wraps a postgres.js client so every query it (or a transaction / savepoint begun
// from it, which is how Drizzle runs) executes gets a span named after its statement kind and
// table, e.g. `SELECT payments`, with the database semantic conventions' attributes
// (db.system.name, db.operation.name, db.collection.name, db.query.summary, db.namespace, server.*).
// The query text and its parameters are never recorded: they may carry personal data.
// A span is made only inside an active, recording span: queries of a poll loop with nothing
// to continue would be orphan root spans, and without an SDK nothing is done at all.
import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type postgres from 'postgres';

const tracer = trace.getTracer('@bank/kit/db');

/** Where the database is: recorded on every span of the client. */
export interface DbTarget {
  database: string;
  host: string;
  port: number;
}

export function dbTargetOf(url: string): DbTarget {
  try {
    const parsed = new URL(url);
    return { database: parsed.pathname.replace(/^\//, ''), host: parsed.hostname, port: Number(parsed.port || 5432) };
  } catch {
    return { database: '', host: '', port: 5432 };
  }
}

const KEYWORD = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([a-z]+)/i;
// The first table a statement names: FROM / INTO / UPDATE / JOIN <name>, quoted or not.
const TABLE = /\b(?:from|into|update|join)\s+(?:only\s+)?("(?:[^"]|"")+"|[a-z_][\w$]*)(?:\s*\.\s*("(?:[^"]|"")+"|[a-z_][\w$]*))?/i;

const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase());

const MAIN_STATEMENT = /^(select|insert|update|delete|merge)\b/i;

/**
 * The statement a WITH query runs after its CTE list (`with a as (…), b as (…) insert into t …`):
 * the first SELECT/INSERT/UPDATE/DELETE/MERGE outside every parenthesis and quote. A create that
 * writes its history row in a CTE is then an `INSERT payments`, as it was before the CTE.
 */
function mainStatementOf(text: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '(') depth += 1;
    else if (c === ')') depth -= 1;
    else if (depth === 0 && /[a-z]/i.test(c) && (i === 0 || !/[\w$]/.test(text[i - 1]!))) {
      const rest = text.slice(i);
      if (MAIN_STATEMENT.test(rest)) return rest;
    }
  }
  return undefined;
}

/** Statement kind and first table of a query's text (parameters are placeholders, never read). */
export function describeStatement(text: string): { operation: string; table: string | undefined } {
  const first = (KEYWORD.exec(text)?.[1] ?? 'QUERY').toUpperCase();
  const main = first === 'WITH' ? mainStatementOf(text) : undefined;
  if (main !== undefined) return describeStatement(main);
  const operation = first;
  if (operation === 'BEGIN' || operation === 'COMMIT' || operation === 'ROLLBACK' || operation === 'SAVEPOINT' || operation === 'RELEASE') {
    return { operation, table: undefined };
  }
  const match = TABLE.exec(text);
  if (!match) return { operation, table: undefined };
  const table = match[2] ? `${unquote(match[1]!)}.${unquote(match[2])}` : unquote(match[1]!);
  return { operation, table };
}

type Query = PromiseLike<unknown> & { then: PromiseLike<unknown>['then'] };

function traceQuery<Q>(query: Q, text: string, target: DbTarget): Q {
  const parent = trace.getSpan(context.active());
  if (!parent?.isRecording()) return query;
  const active = context.active();
  const q = query as unknown as Query;
  const originalThen = q.then;
  let started = false;
  // postgres.js queries are lazy promises, executed when first awaited: the span starts then
  // (never for a fragment embedded in another query, which is not awaited on its own).
  q.then = function then(this: Query, onFulfilled, onRejected) {
    if (!started) {
      started = true;
      const { operation, table } = describeStatement(text);
      const summary = table ? `${operation} ${table}` : operation;
      const attributes: Attributes = {
        'db.system.name': 'postgresql',
        'db.system': 'postgresql',
        'db.operation.name': operation,
        'db.query.summary': summary,
        'db.namespace': target.database,
        'server.address': target.host,
        'server.port': target.port,
        ...(table ? { 'db.collection.name': table } : {}),
      };
      const span = tracer.startSpan(summary, { kind: SpanKind.CLIENT, attributes }, active);
      originalThen.call(
        this,
        () => span.end(),
        (error: unknown) => {
          const code = (error as { code?: unknown }).code;
          if (typeof code === 'string') span.setAttribute('db.response.status_code', code);
          span.setAttribute('error.type', typeof code === 'string' ? code : error instanceof Error ? error.name : 'Error');
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      );
    }
    return originalThen.call(this, onFulfilled, onRejected) as never;
  };
  return query;
}

const isTemplate = (value: unknown): value is TemplateStringsArray => Array.isArray(value) && Array.isArray((value as unknown as { raw?: unknown }).raw);

/** A postgres.js client (or transaction) whose queries make spans; everything else is the original. */
export function traceSql<S extends postgres.Sql | postgres.TransactionSql>(sql: S, target: DbTarget): S {
  const traceScope = (scope: postgres.TransactionSql) => traceSql(scope, target);
  return new Proxy(sql, {
    apply(fn, thisArg, args: unknown[]) {
      const result = Reflect.apply(fn as (...a: unknown[]) => unknown, thisArg, args);
      // A tagged template is a query; sql('name') / sql(rows) are fragments.
      return isTemplate(args[0]) ? traceQuery(result, args[0].join('$?'), target) : result;
    },
    get(fn, property) {
      const value = Reflect.get(fn, property) as unknown;
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (text: string, ...rest: unknown[]) => traceQuery((value as (...a: unknown[]) => unknown)(text, ...rest), text, target);
      }
      if (property === 'begin' || property === 'savepoint') {
        // The callback gets a traced transaction, so Drizzle's queries inside it make spans too.
        return (...args: unknown[]) =>
          (value as (...a: unknown[]) => unknown)(
            ...args.map((arg) => (typeof arg === 'function' ? (scope: postgres.TransactionSql) => (arg as (s: unknown) => unknown)(traceScope(scope)) : arg)),
          );
      }
      return value;
    },
  });
}
