// What a service accepts (src/input.ts, src/pagination.ts): storable text only, bounded JSON
// depth, no body coercion, strict timestamps, validated cursors, and protocol errors as
// problem+json — through inject, and over a real socket for what only Node's parser sees.
import t from 'tap';
import { connect } from 'node:net';
import { Type } from 'typebox';
import { createService, decodeCursor, encodeCursor, findInputDefect, isTimestamp } from '../src/index.ts';

async function build(t: { teardown(fn: () => unknown): void }) {
  const svc = await createService({
    name: 'kit-input-test',
    config: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    app: async (app) => {
      const Body = Type.Object({ currency: Type.Optional(Type.String()), amount: Type.Optional(Type.Integer()), at: Type.Optional(Type.String({ format: 'date-time' })), value: Type.Optional(Type.Unknown()) });
      const Query = Type.Object({ limit: Type.Integer({ default: 20 }), q: Type.Optional(Type.String()), cursor: Type.Optional(Type.String()) });
      app.post('/echo', { schema: { body: Body, querystring: Query } }, async (req) => ({ body: req.body, query: req.query }));
      app.get('/items/:id', { schema: { params: Type.Object({ id: Type.String() }) } }, async (req) => ({ id: (req.params as { id: string }).id }));
      app.get('/page', { schema: { querystring: Query } }, async (req) => ({ after: decodeCursor((req.query as { cursor?: string }).cursor) ?? null }));
    },
  });
  t.teardown(() => svc.close());
  return svc;
}

const problemOf = (res: { statusCode: number; headers: Record<string, unknown>; json(): { code: string } }) => ({
  status: res.statusCode,
  type: String(res.headers['content-type']).split(';')[0],
  code: res.json().code,
});

t.test('text that PostgreSQL cannot store is refused in bodies, queries and paths', async (t) => {
  const svc = await build(t);
  for (const [label, req] of [
    ['NUL in a body string', { method: 'POST', url: '/echo', payload: { currency: 'a\u0000b' } }],
    ['lone surrogate in a body string', { method: 'POST', url: '/echo', payload: '{"currency":"a\\ud800"}', headers: { 'content-type': 'application/json' } }],
    ['NUL in a nested key', { method: 'POST', url: '/echo', payload: { value: { 'k\u0000': 1 } } }],
    ['NUL in the query', { method: 'POST', url: '/echo?q=%00', payload: {} }],
    ['NUL in a path parameter', { method: 'GET', url: '/items/a%00b' }],
  ] as const) {
    const res = await svc.inject(req as never);
    t.same(problemOf(res), { status: 400, type: 'application/problem+json', code: 'INVALID_TEXT' }, label);
  }
  t.equal((await svc.inject({ method: 'POST', url: '/echo', payload: { currency: 'Zürich 😀' } })).statusCode, 200, 'ordinary Unicode passes');
  t.same(findInputDefect({ a: ['ok', { b: 'x\ud800' }] }, 'body'), { kind: 'text', path: 'body.a[1].b' });
});

t.test('JSON nested deeper than the limit is 400, not a stack overflow', async (t) => {
  const svc = await build(t);
  const deep = `{"value":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const res = await svc.inject({ method: 'POST', url: '/echo', payload: deep, headers: { 'content-type': 'application/json' } });
  t.same(problemOf(res), { status: 400, type: 'application/problem+json', code: 'JSON_TOO_DEEP' });
  t.notOk(findInputDefect(JSON.parse('{"a":"[[[[[[[[[[[[[["}'), 'body', 3), 'brackets inside strings do not count');
  t.same(findInputDefect([[[[1]]]], 'body', 3), { kind: 'depth', path: 'body[0][0][0]' });
  const proto = await svc.inject({ method: 'POST', url: '/echo', payload: '{"__proto__":{"x":1}}', headers: { 'content-type': 'application/json' } });
  t.equal(proto.statusCode, 400, 'prototype poisoning is still refused');
});

t.test('bodies are not coerced; query strings are', async (t) => {
  const svc = await build(t);
  const array = await svc.inject({ method: 'POST', url: '/echo', payload: { currency: ['EUR'] } });
  t.same(problemOf(array), { status: 400, type: 'application/problem+json', code: 'VALIDATION_FAILED' }, 'a one-element array is not a string');
  const numeric = await svc.inject({ method: 'POST', url: '/echo', payload: { amount: '100' } });
  t.equal(numeric.statusCode, 400, 'a numeric string is not an integer in a body');
  const ok = await svc.inject({ method: 'POST', url: '/echo?limit=5', payload: { currency: 'EUR', amount: 100 } });
  t.same(ok.json(), { body: { currency: 'EUR', amount: 100 }, query: { limit: 5 } });
});

t.test('a coerced query number must be finite: ?limit=Infinity and ?limit=1e309 are 400, not a database error', async (t) => {
  const svc = await build(t);
  for (const limit of ['Infinity', '1e309', '-Infinity']) {
    const res = await svc.inject({ url: `/page?limit=${limit}` });
    t.same(problemOf(res), { status: 400, type: 'application/problem+json', code: 'VALIDATION_FAILED' }, `limit=${limit}`);
    t.match(res.json(), { errors: [{ path: 'querystring/limit' }] }, 'says which parameter');
  }
  t.equal((await svc.inject({ url: '/page?limit=1e2' })).statusCode, 200, 'a finite number in exponent form is still a number');
});

t.test('date-time means what JavaScript and PostgreSQL accept', async (t) => {
  for (const good of ['2024-02-29T12:00:00Z', '2024-01-01T00:00:00.123456+14:00', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59-12:00', '2024-01-01t10:00:00z']) t.ok(isTimestamp(good), good);
  for (const bad of ['2024-12-31T23:59:60Z', '0000-01-01T00:00:00Z', '2024-01-01T00:00:00+23:59', '2024-01-01T00:00:00+14:01', '2023-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:00:00', '2024-01-01T00:00:00.1234567Z', '+275760-09-13T00:00:00Z'])
    t.notOk(isTimestamp(bad), bad);
  const svc = await build(t);
  const res = await svc.inject({ method: 'POST', url: '/echo', payload: { at: '2024-12-31T23:59:60Z' } });
  t.same(problemOf(res), { status: 400, type: 'application/problem+json', code: 'VALIDATION_FAILED' }, 'the route schema uses the same definition');
});

t.test('a cursor must hold a timestamp and a UUID', async (t) => {
  const id = '0192c9a4-7a3e-7cc1-9f3c-5b1f0a2e4d11';
  t.same(decodeCursor(encodeCursor({ at: '2024-01-01T00:00:00.000Z', id })), { at: '2024-01-01T00:00:00.000Z', id });
  const svc = await build(t);
  for (const key of [['not a date', id], ['2024-12-31T23:59:60Z', id], ['2024-01-01T00:00:00Z', 'x'], [1, 2], 'a string', null]) {
    const cursor = Buffer.from(JSON.stringify(key)).toString('base64url');
    const res = await svc.inject({ url: `/page?cursor=${cursor}` });
    t.same(problemOf(res), { status: 400, type: 'application/problem+json', code: 'INVALID_CURSOR' }, JSON.stringify(key));
  }
});

t.test('router and protocol errors are problem+json', async (t) => {
  const svc = await build(t);
  const badUrl = await svc.inject({ url: '/items/%E0%A4%A' });
  t.same(problemOf(badUrl), { status: 400, type: 'application/problem+json', code: 'MALFORMED_URL' });
  const longParam = await svc.inject({ url: `/items/${'x'.repeat(500)}` });
  t.same(problemOf(longParam), { status: 414, type: 'application/problem+json', code: 'URI_TOO_LONG' });

  await svc.listen({ port: 0, host: '127.0.0.1' });
  const port = (svc.server.address() as { port: number }).port;
  const raw = (bytes: string) =>
    new Promise<string>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => socket.write(bytes));
      let out = '';
      socket.on('data', (c) => (out += c.toString()));
      socket.on('close', () => resolve(out));
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), 3000);
    });
  for (const [label, bytes, status, code] of [
    ['bad request line', 'GET / HTTP/9.9 x\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ['content-length and chunked', 'POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'MALFORMED_REQUEST'],
    ['headers too large', `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`, 431, 'HEADERS_TOO_LARGE'],
    ['no Host header', 'GET /items/1 HTTP/1.1\r\n\r\n', 400, 'HOST_REQUIRED'],
    ['unknown expectation', 'GET /items/1 HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n', 417, 'EXPECTATION_FAILED'],
  ] as const) {
    const text = await raw(bytes);
    t.match(text, new RegExp(`^HTTP/1\\.1 ${status} `), `${label}: ${status}`);
    t.match(text, /content-type: application\/problem\+json/i, `${label}: problem+json`);
    t.match(text, new RegExp(`"code":"${code}"`), `${label}: ${code}`);
  }
});
