// Proxy behaviour: auth at the edge, identity headers, request ids, streaming, error mapping.
import t from 'tap';
import { connect, createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loggerOptions } from '@bank/kit';
import { buildGateway, startEchoUpstream, tokenFor } from './helper.ts';

t.test('non-public routes need a token; identity comes only from the verified token', async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments });
  const anonymous = await gw.inject({ url: '/api/payments/anything' });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.json().code, 'UNAUTHORIZED');

  const user = tokenFor();
  const res = await gw.inject({
    url: '/api/payments/list?x=1',
    headers: {
      authorization: `Bearer ${user.token}`,
      'x-user-id': 'someone-else',
      'x-user-role': 'ADMIN',
      'x-user-anything': 'spoof',
      'x-request-id': 'client-req-0001',
      'x-forwarded-for': '203.0.113.9',
    },
  });
  t.equal(res.statusCode, 200);
  const seen = res.json();
  t.equal(seen.url, '/payments/list?x=1', '/api stripped, service prefix kept');
  t.equal(seen.headers['x-user-id'], user.id);
  t.equal(seen.headers['x-user-role'], 'CUSTOMER');
  t.equal(seen.headers['x-session-id'], user.sid);
  t.notOk(seen.headers['x-user-anything'], 'unknown x-user-* stripped');
  t.equal(seen.headers['x-request-id'], 'client-req-0001');
  t.equal(res.headers['x-request-id'], 'client-req-0001');
  t.equal(seen.headers['x-forwarded-for'], '203.0.113.9', 'the client address from the trusted edge (loopback)');
  t.ok(seen.headers['x-forwarded-proto']);
});

t.test('public auth routes pass without a token, spoofed identity still stripped', async (t) => {
  const auth = await startEchoUpstream(t, '/auth');
  const gw = await buildGateway(t, { AUTH_URL: auth });
  const res = await gw.inject({ method: 'POST', url: '/api/auth/signin', payload: { email: 'a@b.c' }, headers: { 'x-user-role': 'ADMIN' } });
  t.equal(res.statusCode, 200);
  t.notOk(res.json().headers['x-user-role']);
  t.equal((await gw.inject({ url: '/api/auth/me' })).statusCode, 401, 'me is not public');
  t.equal((await gw.inject({ url: '/api/auth/signin/../me' })).statusCode, 401, 'dot segments do not make a route public');
});

t.test('request bodies are streamed through', async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments });
  const big = Buffer.alloc(512 * 1024, 7);
  const res = await gw.inject({
    method: 'POST',
    url: '/api/payments/upload',
    headers: { authorization: `Bearer ${tokenFor().token}`, 'content-type': 'application/octet-stream' },
    payload: big,
  });
  t.equal(res.statusCode, 200);
  t.equal(res.json().bodyBytes, big.length);
});

async function closedPort() {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

t.test('upstream failures map to 502 / 503 / 504 problem bodies', async (t) => {
  const slow = await startEchoUpstream(t, '/profile');
  const gw = await buildGateway(t, {
    PAYMENTS_URL: `http://127.0.0.1:${await closedPort()}`,
    ADMIN_URL: 'http://no-such-host.invalid:3003',
    PROFILE_URL: slow,
    UPSTREAM_TIMEOUT_MS: '300',
  });
  const auth = { authorization: `Bearer ${tokenFor().token}` };

  const refused = await gw.inject({ url: '/api/payments/x', headers: auth });
  t.equal(refused.statusCode, 502);
  t.match(refused.json(), { code: 'GATEWAY_UPSTREAM_FAILED', status: 502 });
  t.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');

  const unavailable = await gw.inject({ url: '/api/admin/x', headers: auth });
  t.equal(unavailable.statusCode, 503);
  t.equal(unavailable.json().code, 'GATEWAY_UPSTREAM_UNAVAILABLE');

  const timeout = await gw.inject({ url: '/api/profile/x?delayMs=1500', headers: auth });
  t.equal(timeout.statusCode, 504);
  t.equal(timeout.json().code, 'GATEWAY_UPSTREAM_TIMEOUT');
});

t.test('bodies over the limit: 413 problem, and the keep-alive connection never hangs', async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments, BODY_LIMIT_BYTES: '65536' });
  await gw.listen({ port: 0, host: '127.0.0.1' });
  const port = (gw.server.address() as { port: number }).port;
  const token = tokenFor().token;
  const head = (framing: string) =>
    `POST /api/payments/upload HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/octet-stream\r\n${framing}\r\n\r\n`;
  const body = 'x'.repeat(200_000);
  const followUp = `GET /api/payments/after HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${token}\r\n\r\n`;

  for (const [label, bytes] of [
    ['declared length', head(`Content-Length: ${body.length}`) + body],
    ['chunked', `${head('Transfer-Encoding: chunked')}${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
  ] as const) {
    const started = Date.now();
    const text = await new Promise<string>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.write(bytes);
        socket.write(followUp);
      });
      let out = '';
      socket.on('data', (c) => (out += c.toString()));
      socket.on('close', () => resolve(out));
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), 5_000);
    });
    t.match(text, /^HTTP\/1\.1 413 /, `${label}: 413`);
    t.match(text, /"code":"PAYLOAD_TOO_LARGE"/, `${label}: problem body`);
    t.ok(/connection: close/i.test(text) || /HTTP\/1\.1 200/.test(text.slice(20)), `${label}: closed (or the next request answered)`);
    t.ok(Date.now() - started < 4_000, `${label}: no hang (${Date.now() - started} ms)`);
  }
});

t.test('a 413 is not lost when the client is still uploading as the gateway closes (lingering close)', async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments, BODY_LIMIT_BYTES: '65536' });
  await gw.listen({ port: 0, host: '127.0.0.1' });
  const port = (gw.server.address() as { port: number }).port;
  const token = tokenFor().token;
  const declared = 4_000_000;
  const text = await new Promise<string>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.write(`POST /api/payments/upload HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\n\r\n`);
      socket.write('x'.repeat(1_000_000));
      // The client is busy (as a client generating its upload is): the gateway's answer and its
      // close both arrive before the client reads. A reset then would discard the unread 413.
      setTimeout(() => {
        const until = Date.now() + 300;
        while (Date.now() < until);
        socket.write('x'.repeat(500_000));
      }, 50);
    });
    let out = '';
    socket.on('data', (c) => (out += c.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', () => undefined);
    setTimeout(() => socket.destroy(), 5_000);
  });
  t.match(text, /^HTTP\/1\.1 413 /, 'the client reads the 413');
  t.match(text, /"code":"PAYLOAD_TOO_LARGE"/);
});

t.test('Expect: 100-continue from the client is answered here, not forwarded (undici refuses it)', async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments });
  const res = await gw.inject({
    method: 'POST',
    url: '/api/payments/upload',
    headers: { authorization: `Bearer ${tokenFor().token}`, 'content-type': 'application/octet-stream', expect: '100-continue' },
    payload: Buffer.alloc(4096, 1),
  });
  t.equal(res.statusCode, 200);
  t.notOk(res.json().headers.expect);
});

t.test("the services' hop-by-hop headers are not passed on: a client's Connection: close holds", async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments });
  await gw.listen({ port: 0, host: '127.0.0.1' });
  const { port } = gw.server.address() as { port: number };
  const { token } = tokenFor();
  // With the upstream's `connection: keep-alive` copied, the client (e.g. nginx with
  // `Connection: close` upstream) keeps the socket and its next request gets a parser 400.
  const { raw, closed } = await new Promise<{ raw: string; closed: boolean }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let raw = '';
    const timer = setTimeout(() => (socket.destroy(), resolve({ raw, closed: false })), 2_000);
    socket.on('data', (c) => (raw += c.toString()));
    socket.on('close', () => (clearTimeout(timer), resolve({ raw, closed: true })));
    socket.on('error', reject);
    socket.write(`GET /api/payments/x HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`);
  });
  const [head] = raw.split('\r\n\r\n');
  t.match(head, /^HTTP\/1\.1 200/);
  t.notMatch(head, /^connection: keep-alive/im, 'no upstream connection header');
  t.notMatch(head, /^keep-alive:/im, 'no upstream keep-alive header');
  t.match(head, /^connection: close/im, 'Connection: close answered');
  t.ok(closed, 'the socket is closed after the response');
});

t.test('at the production log level a proxied success writes no gateway line, a failure one access line', async (t) => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments, PROFILE_URL: 'http://127.0.0.1:1', LOG_LEVEL: 'info' }, { loggerInstance: pino(loggerOptions('gateway', 'info'), sink) });
  const headers = { authorization: `Bearer ${tokenFor().token}` };
  const linesOf = (reqId: string) => lines.filter((l) => l.reqId === reqId);

  const ok = await gw.inject({ url: '/api/payments/ok', headers: { ...headers, 'x-request-id': 'req-proxied-ok-1' } });
  t.equal(ok.statusCode, 200);
  t.same(linesOf('req-proxied-ok-1'), [], 'no line (the service logs it under the same request id), none from reply-from');

  const failed = await gw.inject({ url: '/api/profile/me', headers: { ...headers, 'x-request-id': 'req-proxied-fail-1' } });
  t.equal(failed.statusCode, 502);
  const access = linesOf('req-proxied-fail-1').filter((l) => l.msg === 'request');
  t.equal(access.length, 1, 'one access line');
  t.match(access[0], { level: 'info', status: 502, route: '/api/profile/*' });
  t.notOk(lines.some((l) => l.msg === 'incoming request' || l.msg === 'request completed' || /fetching from remote server|response received/.test(String(l.msg))), 'no per-request lines from Fastify or reply-from');
});
