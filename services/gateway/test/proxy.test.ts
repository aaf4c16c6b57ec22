// Proxy behaviour: auth at the edge, identity headers, request ids, streaming, error mapping.
import t from 'tap';
import { createServer } from 'node:net';
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
