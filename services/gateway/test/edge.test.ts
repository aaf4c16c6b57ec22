// Rate limits (Redis), CORS closed by default, revocation, OpenAPI document, internals not proxied.
import t from 'tap';
import { revokedSessionKey } from '@bank/kit';
import { buildGateway, startEchoUpstream, tokenFor } from './helper.ts';

t.test('rate limit per user when authenticated, else per IP', async (t) => {
  const payments = await startEchoUpstream(t);
  const auth = await startEchoUpstream(t, '/auth');
  // A window unique to this run keeps counters from earlier runs out of the way.
  const gw = await buildGateway(t, { PAYMENTS_URL: payments, AUTH_URL: auth, RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: String(60_000 + (Date.now() % 1000)) });
  const alice = tokenFor();
  const bob = tokenFor();
  const call = (token: string) => gw.inject({ url: '/api/payments/x', headers: { authorization: `Bearer ${token}` } });
  for (let i = 0; i < 3; i++) t.equal((await call(alice.token)).statusCode, 200);
  const limited = await call(alice.token);
  t.equal(limited.statusCode, 429);
  t.equal(limited.json().code, 'RATE_LIMITED');
  t.ok(limited.headers['retry-after']);
  t.equal(limited.headers['x-ratelimit-limit'], '3');
  t.equal((await call(bob.token)).statusCode, 200, 'another user has their own budget');

  const ip = `198.51.100.${Date.now() % 250}`;
  for (let i = 0; i < 3; i++) {
    t.equal((await gw.inject({ method: 'POST', url: '/api/auth/signin', remoteAddress: ip, payload: {} })).statusCode, 200);
  }
  t.equal((await gw.inject({ method: 'POST', url: '/api/auth/signin', remoteAddress: ip, payload: {} })).statusCode, 429);
});

t.test('CORS is closed by default and opens only for configured origins', async (t) => {
  const closed = await buildGateway(t);
  const preflight = { method: 'OPTIONS' as const, url: '/api/payments/x', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } };
  t.notOk((await closed.inject(preflight)).headers['access-control-allow-origin']);
  const open = await buildGateway(t, { CORS_ORIGINS: 'https://app.example' });
  const allowed = await open.inject({ ...preflight, headers: { ...preflight.headers, origin: 'https://app.example' } });
  t.equal(allowed.headers['access-control-allow-origin'], 'https://app.example');
  t.notOk((await open.inject(preflight)).headers['access-control-allow-origin']);
  // The browser's API client sends a W3C traceparent (docs/observability.md): a cross-origin app must be allowed to.
  const traced = await open.inject({
    ...preflight,
    headers: { ...preflight.headers, origin: 'https://app.example', 'access-control-request-headers': 'authorization,content-type,traceparent' },
  });
  t.match(traced.headers['access-control-allow-headers'], /traceparent/, 'traceparent may be sent cross-origin');
  // Found by the hostile-input suite: an OPTIONS that is no preflight got a text/plain 400.
  const bare = await open.inject({ method: 'OPTIONS', url: '/api/payments/x' });
  t.ok(bare.statusCode < 500, `bare OPTIONS: ${bare.statusCode}`);
  if (bare.statusCode >= 400) t.match(bare.headers['content-type'], /application\/problem\+json/);
  else t.not(bare.body, 'Invalid Preflight Request');
});

t.test('a revoked session is rejected at the edge', async (t) => {
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments });
  const user = tokenFor();
  await gw.redis.set(revokedSessionKey(user.sid), '1', 'EX', 30);
  t.teardown(() => gw.redis.del(revokedSessionKey(user.sid)));
  const res = await gw.inject({ url: '/api/payments/x', headers: { authorization: `Bearer ${user.token}` } });
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'AUTH_SESSION_REVOKED');
});

t.test('the edge OpenAPI document merges services under /api, with a docs UI', async (t) => {
  const gw = await buildGateway(t, { AUTH_URL: 'http://127.0.0.1:1', PAYMENTS_URL: 'http://127.0.0.1:1', ADMIN_URL: 'http://127.0.0.1:1', PROFILE_URL: 'http://127.0.0.1:1' });
  const doc = await gw.inject({ url: '/api/openapi.json' });
  t.equal(doc.statusCode, 200, 'served even when services are down');
  t.equal(doc.json().openapi, '3.1.0');
  const ui = await gw.inject({ url: '/api/docs/' });
  t.equal(ui.statusCode, 200);
  t.match(ui.headers['content-type'], /html/);
});

t.test('health and metrics are the gateway\'s own, never proxied', async (t) => {
  const gw = await buildGateway(t);
  t.equal((await gw.inject({ url: '/health/ready' })).json().checks.redis.status, 'up');
  t.equal((await gw.inject({ url: '/api/metrics' })).statusCode, 401, 'not a public route');
  const res = await gw.inject({ url: '/api/nothing-here', headers: { authorization: `Bearer ${tokenFor().token}` } });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'NOT_FOUND');
});
