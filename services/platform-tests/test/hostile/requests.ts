// Generated hostile requests: for a route of the OpenAPI document, a caller, a way in (nginx,
// the gateway, or the owning service directly) and one or more mutations of an otherwise valid
// request — its body, a field, a query or path parameter, a header, the content type or the
// method. `verdict` is the property every response must satisfy.
import fc from 'fast-check';
import type { JsonSchema, Operation, Parameter } from './openapi.ts';
import { deepValue, hostileCursor, hostileDate, hostileString, hostileValue, validValue } from './arbitraries.ts';

export type Target = 'edge' | 'gateway' | 'service';
export type Caller = 'anonymous' | 'customer' | 'admin';

export interface HostileRequest {
  target: Target;
  caller: Caller;
  route: string;
  method: string;
  /** Path and query, already percent-encoded (possibly badly, on purpose). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was mutated, for the failure report. */
  mutations: string[];
}

/** Marks a nested value serialised as raw text (JSON.stringify would recurse too deep). */
class Deep {
  readonly depth: number;
  readonly kind: 'array' | 'object';
  constructor(depth: number, kind: 'array' | 'object') {
    this.depth = depth;
    this.kind = kind;
  }
}

/** JSON text that keeps lone surrogates as \\uXXXX escapes and very deep values as raw text. */
export function toJsonText(value: unknown): string {
  const deep: Deep[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (v instanceof Deep) return `\u0001DEEP${deep.push(v) - 1}\u0001`;
    return v;
  });
  if (text === undefined) return 'null';
  return text.replace(/"\\u0001DEEP(\d+)\\u0001"/g, (_m, i: string) => {
    const d = deep[Number(i)]!;
    return d.kind === 'array' ? `${'['.repeat(d.depth)}1${']'.repeat(d.depth)}` : `${'{"a":'.repeat(d.depth)}1${'}'.repeat(d.depth)}`;
  });
}

/** Percent-encoding that also encodes lone surrogates (as their WTF-8 bytes), which encodeURIComponent refuses. */
export function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(ch);
  }
  return out;
}

const brokenPercent = fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF', '%FF%FE', '%ED%A0%80', '%00', '%2e%2e%2f', '%uD800', '%%32%65');

/** Hostile values swap in deep values as markers (the request text is built without recursion). */
const hostile = (schema: JsonSchema | undefined) =>
  hostileValue(schema).map((v) => {
    const depth = depthOf(v);
    return depth > 100 ? new Deep(depth, Array.isArray(v) ? 'array' : 'object') : v;
  });
function depthOf(v: unknown): number {
  let depth = 0;
  let current = v;
  while (current && typeof current === 'object') {
    depth++;
    current = Array.isArray(current) ? current[0] : (current as Record<string, unknown>).a;
    if (depth > 20_000) break;
  }
  return depth;
}

function paramValue(p: Parameter): fc.Arbitrary<string> {
  if (p.name === 'cursor') return fc.oneof(hostileCursor, validValue(p.schema).map(String));
  return validValue(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

function hostileParam(p: Parameter): fc.Arbitrary<{ raw: string } | { text: string }> {
  const text = fc.oneof(
    { weight: 4, arbitrary: hostile(p.schema).map((v) => (typeof v === 'string' ? v : v instanceof Deep ? '['.repeat(Math.min(v.depth, 3000)) : JSON.stringify(v))) },
    { weight: p.name === 'cursor' ? 6 : 0, arbitrary: hostileCursor },
    { weight: /from|to/.test(p.name) ? 6 : 0, arbitrary: hostileDate },
  );
  return fc.oneof({ weight: 5, arbitrary: text.map((t) => ({ text: t })) }, { weight: 1, arbitrary: brokenPercent.map((raw) => ({ raw })) });
}

/** A body valid for the schema, then (usually) mutated. */
function bodyFor(op: Operation): fc.Arbitrary<{ body?: Buffer; contentType?: string; mutations: string[] }> {
  const schema = op.body;
  const valid = schema ? validValue(schema) : fc.constant(undefined);
  const json = (v: unknown, label: string[]) => ({ body: Buffer.from(toJsonText(v)), contentType: 'application/json', mutations: label });
  const properties = Object.entries(schema?.properties ?? {});
  const options: Array<fc.WeightedArbitrary<{ body?: Buffer; contentType?: string; mutations: string[] }>> = [
    { weight: 1, arbitrary: valid.map((v) => (v === undefined ? { mutations: ['no body'] } : json(v, ['valid body']))) },
    { weight: 2, arbitrary: fc.tuple(hostile(undefined), fc.constant(0)).map(([v]) => json(v, ['body replaced'])) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constantFrom('{', '{"a":', '[1,2', '{"a":1,}', "{'a':1}", 'NaN', '{"a":NaN}', '{"a":1}{"b":2}', '\ufeff{}', '/*c*/{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '', ' ', 'null', '"\\ud800"', '{"a":"\\u0000"}', '{"a":1,"a":2}'),
        fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')),
        fc.integer({ min: 1_000, max: 20_000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
        fc.integer({ min: 1_000, max: 20_000 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
      ).map((text) => ({ body: Buffer.from(text, /[^\x00-\xff]/.test(text) ? 'utf8' : 'latin1'), contentType: 'application/json', mutations: ['raw body text'] })),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1_048_577, max: 2_000_000 }).map((n) => ({ body: Buffer.from(`{"a":"${'x'.repeat(n)}"}`), contentType: 'application/json', mutations: [`oversized body ${n} B`] })) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a\u0000b', '\ud800'), fc.string({ maxLength: 10 })), hostile(undefined)).map(([v, k, h]) => json(v && typeof v === 'object' ? { ...v, [k]: h } : { [k]: h }, [`extra property ${JSON.stringify(k)}`])) },
  ];
  if (properties.length) {
    options.push({
      weight: 8,
      arbitrary: fc.tuple(valid, fc.constantFrom(...properties)).chain(([v, [name, propSchema]]) =>
        hostile(propSchema).map((h) => json({ ...(v as Record<string, unknown>), [name]: nestedHostile(propSchema, h) }, [`field ${name}`])),
      ),
    });
    const required = schema?.required ?? [];
    if (required.length) options.push({ weight: 1, arbitrary: fc.tuple(valid, fc.constantFrom(...required)).map(([v, name]) => json(omit(v as Record<string, unknown>, name), [`missing ${name}`])) });
  }
  return fc.oneof(...options);
}

/** For an object/array property, sometimes put the hostile value one level further in. */
function nestedHostile(schema: JsonSchema, h: unknown): unknown {
  const inner = Object.keys(schema.properties ?? {})[0];
  if (inner && Math.abs(JSON.stringify(String(h)).length % 3) === 0) return { [inner]: h };
  if (schema.items && typeof h === 'string' && h.length % 2 === 0) return [{ name: h, value: h, page: h, tags: { t: h } }];
  return h;
}
const omit = (o: Record<string, unknown>, k: string) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== k));

const hostileHeader: fc.Arbitrary<[string, string, string]> = fc.oneof(
  fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic YTpi', 'bearer x.y.z', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'Bearer a.b.c.d'), fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`)).map((v) => ['authorization', v, 'authorization'] as [string, string, string]),
  fc.oneof(brokenPercent, hostileString.map(percentEncode), fc.string({ maxLength: 60 })).map((v) => ['cookie', `refresh_token=${v}`, 'refresh cookie'] as [string, string, string]),
  fc.oneof(fc.constantFrom('unknown', 'not-an-ip', '999.1.1.1', '1.2.3.4:80', '[::1]', '::ffff:1.2.3.4%eth0', 'fe80::1%25lo', '1.2.3', '', ',,,', '1.2.3.4, garbage', '_hidden', 'localhost'), fc.string({ maxLength: 30 }), fc.ipV4Extended(), fc.ipV6()).map((v) => ['x-forwarded-for', v, 'x-forwarded-for'] as [string, string, string]),
  fc.string({ maxLength: 300 }).map((v) => ['x-request-id', v, 'x-request-id'] as [string, string, string]),
  fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('', 'short', 'x'.repeat(256))).map((v) => ['idempotency-key', v, 'idempotency-key'] as [string, string, string]),
  fc.integer({ min: 9_000, max: 40_000 }).map((n) => ['x-padding', 'p'.repeat(n), `huge header ${n} B`] as [string, string, string]),
  fc.constantFrom('application/xml', '*/*;q=abc', 'text/html').map((v) => ['accept', v, 'accept'] as [string, string, string]),
  fc.constantFrom('gzip', 'br', 'deflate', 'identity;q=0', 'x-unknown').map((v) => ['content-encoding', v, 'content-encoding'] as [string, string, string]),
);

const contentTypes = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/problem+json',
  'application/jsonx',
  'application/json;;',
  'json',
  '*/*',
  '',
  'application/octet-stream',
);

const queryParams = (op: Operation) => op.parameters.filter((p) => p.in === 'query');

/** `arb` in about `percent`% of cases, otherwise null. */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: 100 - percent, arbitrary: fc.constant(null) }, { weight: percent, arbitrary: arb });

export interface RequestSpace {
  operations: Operation[];
  /** Service name → base URL for direct calls. */
  servicePorts: Record<string, number>;
}

export function hostileRequest(space: RequestSpace): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      op: fc.constantFrom(...space.operations),
      target: fc.constantFrom<Target>('edge', 'edge', 'gateway', 'service'),
      caller: fc.constantFrom<Caller>('anonymous', 'customer', 'admin', 'admin'),
      headerCount: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) }),
      contentTypeMutation: sometimes(contentTypes, 10),
      methodMutation: sometimes(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'TRACE', 'FOO'), 8),
      pathSuffix: sometimes(fc.constantFrom('/', '//', '/x', '/..%2f', '%00', '/%ff', '.json', '/%2e%2e/%2e%2e/etc/passwd', ';x=1'), 7),
    })
    .chain(({ op, ...rest }) =>
      fc.record({
        op: fc.constant(op),
        rest: fc.constant(rest),
        pathParams: fc.tuple(...op.parameters.filter((p) => p.in === 'path').map((p) => fc.oneof({ weight: 3, arbitrary: paramValue(p).map((t) => ({ text: t }) as { text: string } | { raw: string }) }, { weight: 1, arbitrary: hostileParam(p) }).map((v) => [p, v] as const))),
        // Every query parameter valid or absent, then at most one of them hostile: one defect
        // per request reaches the handler instead of being masked by another.
        query: fc.tuple(...op.parameters.filter((p) => p.in === 'query').map((p) => fc.option(paramValue(p).map((t) => ({ text: t }) as { text: string } | { raw: string }), { freq: 2 }).map((v) => [p, v] as const))),
        hostileQuery: queryParams(op).length ? sometimes(fc.tuple(fc.constantFrom(...queryParams(op))).chain(([p]) => hostileParam(p).map((v) => [p, v] as const)), 45) : fc.constant(null),
        extraQuery: sometimes(fc.oneof(fc.constantFrom('limit=1&limit=2', 'a[b]=1', 'limit[]=1', '__proto__[x]=1', '%=%', '&&&', 'x=%E0%A4%A'), fc.integer({ min: 9_000, max: 70_000 }).map((n) => `q=${'q'.repeat(n)}`)), 10),
        body: op.body ? bodyFor(op) : sometimes(bodyFor({ ...op, body: { type: 'object' } }), 10).map((b) => b ?? { mutations: [] }),
        headers: fc.array(hostileHeader, { maxLength: 2 }),
      }),
    )
    .map(({ op, rest, pathParams, query, hostileQuery, extraQuery, body, headers }) => {
      const mutations: string[] = [...body.mutations];
      let path = op.path;
      for (const [p, v] of pathParams) {
        const encoded = 'raw' in v ? v.raw : percentEncode(v.text);
        if ('raw' in v || v.text !== undefined) path = path.replace(`{${p.name}}`, () => encoded || '%20');
        if ('raw' in v) mutations.push(`path ${p.name} raw`);
      }
      if (rest.pathSuffix) {
        path += rest.pathSuffix;
        mutations.push(`path suffix ${rest.pathSuffix}`);
      }
      const pairs: string[] = [];
      for (const [p, v] of query) {
        const value = hostileQuery?.[0] === p ? hostileQuery[1] : v;
        if (!value) continue;
        pairs.push(`${p.name}=${'raw' in value ? value.raw : percentEncode(value.text)}`);
      }
      if (hostileQuery) mutations.push(`query ${hostileQuery[0].name}`);
      if (extraQuery) {
        pairs.push(extraQuery);
        mutations.push(`query ${extraQuery.slice(0, 30)}`);
      }
      const allHeaders: Record<string, string> = {};
      if (body.contentType) allHeaders['content-type'] = body.contentType;
      if (rest.contentTypeMutation !== null && body.body) {
        allHeaders['content-type'] = rest.contentTypeMutation;
        mutations.push(`content-type ${JSON.stringify(rest.contentTypeMutation)}`);
      }
      for (const [name, value, label] of headers.slice(0, rest.headerCount)) {
        allHeaders[name] = value;
        mutations.push(`header ${label}`);
      }
      if (op.path.endsWith('/payments/') && op.method === 'POST' && !allHeaders['idempotency-key']) allHeaders['idempotency-key'] = `hostile-${Math.abs(hash(path + String(body.body?.length)))}-${pairs.length}`;
      const method = rest.methodMutation ?? op.method;
      if (rest.methodMutation) mutations.push(`method ${method}`);
      return {
        target: rest.target,
        caller: rest.caller,
        route: `${op.method} ${op.path}`,
        method,
        url: `${path}${pairs.length ? `?${pairs.join('&')}` : ''}`,
        headers: allHeaders,
        ...(body.body && method !== 'GET' ? { body: body.body } : {}),
        mutations,
      } satisfies HostileRequest;
    });
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** The property: no 5xx, and every error is problem+json with a stable code. */
export function verdict(status: number, headers: Record<string, string | string[] | undefined>, text: string): string | undefined {
  if (status >= 500) return `status ${status}`;
  if (status < 400) return undefined;
  const type = String(headers['content-type'] ?? '');
  if (!type.startsWith('application/problem+json')) return `${status} with content-type ${type || '(none)'}`;
  try {
    const body = JSON.parse(text) as { code?: unknown; status?: unknown };
    if (typeof body.code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(body.code)) return `${status} problem without a stable code`;
    if (body.status !== status) return `${status} problem with status ${String(body.status)}`;
  } catch {
    return `${status} problem body is not JSON`;
  }
  return undefined;
}

export { deepValue };
