// "Last active": authenticated requests and WebSocket connections record sid → ms in a Redis hash,
// at most once per throttle window per session.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { buildGateway, startEchoUpstream, tokenFor } from './helper.ts';
import { connectReady, identity, listenGateway, waitFor } from './ws-helper.ts';

t.test('authenticated requests record activity, throttled', async (t) => {
  const key = `test:last-active:${randomBytes(4).toString('hex')}`;
  const payments = await startEchoUpstream(t);
  const gw = await buildGateway(t, { PAYMENTS_URL: payments, SESSION_ACTIVITY_KEY: key, SESSION_ACTIVITY_THROTTLE_MS: '300' });
  t.teardown(() => gw.redis.del(key));
  const user = tokenFor();
  const call = () => gw.inject({ url: '/api/payments/x', headers: { authorization: `Bearer ${user.token}` } });
  t.equal((await call()).statusCode, 200);
  await waitFor(async () => (await gw.redis.hget(key, user.sid)) !== null, 'the first write');
  const first = Number(await gw.redis.hget(key, user.sid));
  t.ok(Math.abs(Date.now() - first) < 2_000, 'epoch milliseconds');
  await call();
  await call();
  t.equal(Number(await gw.redis.hget(key, user.sid)), first, 'no second write inside the window');
  await new Promise((r) => setTimeout(r, 350));
  await call();
  await waitFor(async () => Number(await gw.redis.hget(key, user.sid)) > first, 'a write after the window');

  await gw.inject({ method: 'POST', url: '/api/auth/signin', payload: {} }).catch(() => undefined);
  t.equal(await gw.redis.hlen(key), 1, 'anonymous requests record nothing');
  const bad = await gw.inject({ url: '/api/payments/x', headers: { authorization: 'Bearer nope' } });
  t.equal(bad.statusCode, 401);
  t.equal(await gw.redis.hlen(key), 1, 'rejected requests record nothing');
});

t.test('opening a WebSocket counts as activity', async (t) => {
  const key = `test:last-active:${randomBytes(4).toString('hex')}`;
  const gw = await listenGateway(t, { SESSION_ACTIVITY_KEY: key });
  t.teardown(() => gw.app.redis.del(key));
  const who = identity();
  const client = await connectReady(gw.url, { protocols: ['bearer', who.token] });
  await waitFor(async () => (await gw.app.redis.hget(key, who.sid)) !== null, 'the activity write');
  client.socket.close();
});
