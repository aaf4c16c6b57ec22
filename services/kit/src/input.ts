// What every service accepts as input, decided once: JSON values of bounded depth, text that
// PostgreSQL can store (no NUL, no lone UTF-16 surrogates) in bodies, query strings and path
// parameters, timestamps that JavaScript and PostgreSQL read the same way, bodies validated
// without type coercion, and protocol-level errors answered as problem+json.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AjvCompiler } from '@fastify/ajv-compiler';
import { AppError, problem, sendProblem } from './errors.ts';

/** Deep enough for any real document (config values included), far from a stack overflow. */
export const MAX_JSON_DEPTH = 64;

export const InputErrors = {
  tooDeep: (max: number) => new AppError('JSON_TOO_DEEP', 400, 'JSON nested too deeply', `JSON may be nested at most ${max} levels`),
  notFinite: (where: string) =>
    new AppError('VALIDATION_FAILED', 400, 'Request validation failed', `${where} must be a finite number`, { errors: [{ path: where, message: 'must be a finite number' }] }),
  invalidText: (where: string) =>
    new AppError('INVALID_TEXT', 400, 'Text contains characters that cannot be stored', `${where} contains a NUL character or an unpaired UTF-16 surrogate`),
};

/** Text PostgreSQL can store in text and jsonb columns, and that is valid Unicode. */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && s.isWellFormed();
}

export type InputDefect = { kind: 'text' | 'depth'; path: string };

/**
 * The first defect of parsed input, walked without recursion: a string or key that is not
 * storable text (its path, e.g. `body.address.city`), or nesting deeper than `maxDepth`.
 */
export function findInputDefect(value: unknown, root: string, maxDepth = MAX_JSON_DEPTH): InputDefect | undefined {
  const stack: Array<[unknown, string, number]> = [[value, root, 0]];
  while (stack.length) {
    const [current, path, depth] = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { kind: 'text', path };
    } else if (current && typeof current === 'object' && !isStream(current)) {
      if (depth >= maxDepth) return { kind: 'depth', path };
      if (Array.isArray(current)) current.forEach((item, i) => stack.push([item, `${path}[${i}]`, depth + 1]));
      else {
        for (const [key, item] of Object.entries(current)) {
          if (!isStorableText(key)) return { kind: 'text', path: `${path} (a key)` };
          stack.push([item, `${path}.${key}`, depth + 1]);
        }
      }
    }
  }
  return undefined;
}
const isStream = (v: object) => typeof (v as { pipe?: unknown }).pipe === 'function';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * RFC 3339 date-time as both JavaScript and PostgreSQL read it: years 0001–9999, real calendar
 * days, no leap second (23:59:60), at most microsecond precision, offsets within ±14:00.
 */
export function isTimestamp(value: string): boolean {
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return false;
  if (m[7]) {
    const offsetHours = Number(m[8]);
    const offsetMinutes = Number(m[9]);
    if (offsetMinutes > 59 || offsetHours > 14 || (offsetHours === 14 && offsetMinutes > 0)) return false;
  }
  return Number.isFinite(Date.parse(value));
}

/**
 * Ajv per request part: bodies are JSON and validated as sent (no coercion: `["EUR"]` is not a
 * string, `"100"` is not a number); query strings, params and headers are text and coerced
 * (`?limit=20`). `format: 'date-time'` means `isTimestamp` everywhere.
 */
export function validatorCompilers(): NonNullable<FastifyServerOptions['schemaController']> {
  const pools = { body: AjvCompiler(), other: AjvCompiler() };
  const strictTimestamps = (ajv: { addFormat(name: string, format: (s: string) => boolean): unknown }) => {
    ajv.addFormat('date-time', isTimestamp);
  };
  return {
    compilersFactory: {
      buildValidator(externalSchemas: Parameters<ReturnType<typeof AjvCompiler>>[0], ajvOptions: { customOptions?: Record<string, unknown> } = {}) {
        const base = { ...(ajvOptions as object), onCreate: strictTimestamps };
        const forBody = pools.body(externalSchemas, { ...base, customOptions: { ...ajvOptions.customOptions, coerceTypes: false } });
        const forText = pools.other(externalSchemas, { ...base, customOptions: { ...ajvOptions.customOptions, coerceTypes: 'array' } });
        return (route: { httpPart?: string }) => (route.httpPart === 'body' ? forBody : forText)(route);
      },
    },
  } as NonNullable<FastifyServerOptions['schemaController']>;
}

function problemBytes(status: number, code: string, title: string, detail: string): string {
  const body = JSON.stringify({ type: `https://errors.bank.local/${code.toLowerCase().replace(/_/g, '-')}`, title, status, code, detail, requestId: randomUUID() });
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** Node's HTTP parser rejected the request (bad request line, headers, chunking, sizes): problem+json, then close. */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException & { bytesParsed?: number }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, title] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? ([408, 'REQUEST_TIMEOUT', 'Request timeout'] as const)
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? ([431, 'HEADERS_TOO_LARGE', 'Request headers too large'] as const)
        : ([400, 'MALFORMED_REQUEST', 'Malformed HTTP request'] as const);
  this.log.debug({ code: err.code }, 'client error');
  if (socket.writable) socket.end(problemBytes(status, code, title, 'The request could not be parsed as HTTP/1.1'));
  else socket.destroy();
}

/** Fastify's router refused the URL before any route ran (bad percent-encoding, a too-long parameter). */
export function frameworkErrors(error: Error & { code?: string }, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendProblem(reply, problem(request, 414, 'URI_TOO_LONG', 'URI too long', 'A path segment is too long'));
  return sendProblem(reply, problem(request, 400, 'MALFORMED_URL', 'Malformed URL', 'The URL is not validly percent-encoded UTF-8'));
}

async function inputPlugin(fastify: FastifyInstance) {
  // An `Expect` other than 100-continue: Node answers a bare 417 unless someone listens.
  fastify.server.on('checkExpectation', (_req, res) => {
    const body = JSON.stringify({ type: 'https://errors.bank.local/expectation-failed', title: 'Expectation failed', status: 417, code: 'EXPECTATION_FAILED', detail: 'Only Expect: 100-continue is supported', requestId: randomUUID() });
    res.writeHead(417, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
  });
  fastify.addHook('onRequest', async (request) => {
    // Node's own "400 without Host" has no body; we answer it here (requireHostHeader is off).
    if (request.raw.httpVersionMajor === 1 && request.raw.httpVersionMinor >= 1 && !request.headers.host) {
      throw new AppError('HOST_REQUIRED', 400, 'Host header required', 'HTTP/1.1 requests must carry a Host header');
    }
  });
  // Parsed input, before schema validation: no validator, handler or database ever sees it.
  // (JSON.parse itself is iterative; deep values overflow the recursive code after it.) The
  // body is checked with the parser untouched, so the gateway's proxy keeps streaming bodies.
  fastify.addHook('preValidation', async (request) => {
    const defect = findInputDefect(request.params, 'path') ?? findInputDefect(request.query, 'query') ?? findInputDefect(request.body, 'body');
    if (defect?.kind === 'depth') throw InputErrors.tooDeep(MAX_JSON_DEPTH);
    if (defect) throw InputErrors.invalidText(defect.path);
  });
  // After validation: Ajv coerces `?limit=Infinity` or `?limit=1e309` to Infinity and lets it
  // pass `type: integer, maximum: 100` (the bound is compared before coercion), and PostgreSQL
  // then refuses "Infinity" for a bigint — a 500 the hostile-input suite found. Query strings
  // and path parameters are the only coerced parts, so they are the only ones checked.
  fastify.addHook('preHandler', async (request) => {
    for (const [part, values] of [['querystring', request.query], ['params', request.params]] as const) {
      if (!values || typeof values !== 'object') continue;
      for (const [name, value] of Object.entries(values)) {
        const items: unknown[] = Array.isArray(value) ? value : [value];
        if (items.some((item) => typeof item === 'number' && !Number.isFinite(item))) throw InputErrors.notFinite(`${part}/${name}`);
      }
    }
  });
}

export const input = fp(inputPlugin, { name: 'kit-input', fastify: '5.x' });
