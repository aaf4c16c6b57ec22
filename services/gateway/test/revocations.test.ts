// The local revocation set against a real RabbitMQ (a vhost per test) and Redis: once current it
// answers without a Redis round trip per request, from auth's events and from the markers copied
// at (re)subscription; while its queue may have missed events (connection lost) Redis answers.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { currentRoleKey, revokedSessionKey } from '@bank/kit';
import { startEchoUpstream } from './helper.ts';
import { createVhost, hubPublisher, identity, listenGateway, waitFor } from './ws-helper.ts';

const exec = promisify(execFile);
const future = () => new Date(Date.now() + 600_000).toISOString();

async function gatewayWithEvents(t: { teardown(fn: () => unknown): void }, label: string) {
  const hub = await createVhost(t, label);
  const payments = await startEchoUpstream(t);
  const gw = await listenGateway(t, { REVOCATION_EVENTS_ENABLED: 'true', RABBITMQ_URL: hub.url, REVOCATION_SETTLE_MS: '50', PAYMENTS_URL: payments });
  const redis = gw.app.redis;
  // Every per-request check goes through the kit's MGET of auth's two markers: count them.
  let mgets = 0;
  const mget = redis.mget.bind(redis);
  redis.mget = ((...args: Parameters<typeof mget>) => {
    mgets++;
    return mget(...args);
  }) as typeof redis.mget;
  const call = async (who: ReturnType<typeof identity>) => {
    const res = await gw.app.inject({ url: '/api/payments/x', headers: { authorization: `Bearer ${who.token}` } });
    return { status: res.statusCode, code: res.statusCode === 401 ? (res.json() as { code: string }).code : undefined };
  };
  /** The first refusal of `who` (events arrive asynchronously). */
  const refusal = (who: ReturnType<typeof identity>, what: string) =>
    waitFor(async () => {
      const res = await call(who);
      return res.status === 401 ? res : undefined;
    }, what);
  return { hub, gw, redis, call, refusal, mgets: () => mgets };
}

t.test('local path: auth events and the markers copied from Redis, no Redis round trip per request', async (t) => {
  // Revoked before the gateway started: only Redis knows (its event went to no queue of ours).
  const before = identity();
  const { hub, gw, redis, call, refusal, mgets } = await gatewayWithEvents(t, 'revocations-local');
  await redis.set(revokedSessionKey(before.sid), '1', 'EX', 60);
  t.teardown(() => redis.del(revokedSessionKey(before.sid)));
  const publisher = await hubPublisher(t, hub.url);

  await gw.app.revocations.current;
  t.ok(gw.app.revocations.local, 'the local copy is current');
  t.match(gw.app.revocations.queue, /^gateway\.revocations\.[a-z0-9-]+$/, 'its own queue under the gateway. prefix');

  const calls = mgets();
  const alice = identity();
  t.same(await call(alice), { status: 200, code: undefined }, 'a valid session passes');

  // Revoked by an event alone (no Redis marker): only the local copy can know.
  await publisher.publish('auth.session.revoked', 'auth', { userId: alice.sub, sessionId: alice.sid, reason: 'revoked-by-user', expiresAt: future() });
  t.same(await refusal(alice, 'alice refused'), { status: 401, code: 'AUTH_SESSION_REVOKED' });

  // A role change by event: tokens with the old role are refused, the new role passes.
  const bob = identity('CUSTOMER');
  await publisher.publish('auth.user.updated', 'auth', { userId: bob.sub, email: 'bob@bank.local', name: 'Bob', role: 'ADMIN', status: 'active' });
  t.same(await refusal(bob, 'bob refused'), { status: 401, code: 'AUTH_ROLE_CHANGED' });

  // A marker only in Redis since before the start was copied in.
  t.same(await call(before), { status: 401, code: 'AUTH_SESSION_REVOKED' }, 'revoked before the gateway started');
  t.equal(mgets() - calls, 0, 'no Redis MGET for any of these requests');

  // An event from a publisher that is not auth is ignored.
  const carol = identity();
  await publisher.raw('auth.session.revoked', { type: 'auth.session.revoked', source: 'payments', data: { userId: carol.sub, sessionId: carol.sid } });
  t.equal((await call(carol)).status, 200, 'a forged revocation changes nothing');
});

t.test('fallback: while the queue may have missed events every request asks Redis; resynchronised after reconnecting', async (t) => {
  const { hub, gw, redis, call, refusal, mgets } = await gatewayWithEvents(t, 'revocations-gap');
  await gw.app.revocations.current;
  const dave = identity();
  t.equal((await call(dave)).status, 200);

  // The broker drops the gateway's connection: its exclusive queue dies with it.
  await exec('rabbitmqctl', ['-q', 'close_all_connections', '--vhost', hub.vhost, 'test: consumer gap'], { timeout: 60_000 });
  // Revoked meanwhile with only the Redis marker (the event went nowhere): Redis must be asked.
  await redis.set(revokedSessionKey(dave.sid), '1', 'EX', 60);
  t.teardown(() => redis.del(revokedSessionKey(dave.sid)));
  const erin = identity('ADMIN');
  await redis.set(currentRoleKey(erin.sub), 'CUSTOMER', 'EX', 60);
  t.teardown(() => redis.del(currentRoleKey(erin.sub)));
  t.same(await refusal(dave, 'the Redis marker honoured during the gap'), { status: 401, code: 'AUTH_SESSION_REVOKED' });
  t.notOk(gw.app.revocations.local, 'the local copy is not trusted during the gap');
  t.ok(mgets() > 0, 'answered from Redis');

  // Reconnected and resubscribed: the markers written during the gap were copied in.
  await waitFor(() => gw.app.revocations.local, 'the local copy current again', 20_000);
  const calls = mgets();
  t.same(await call(dave), { status: 401, code: 'AUTH_SESSION_REVOKED' }, 'revoked during the gap');
  t.same(await call(erin), { status: 401, code: 'AUTH_ROLE_CHANGED' }, 'demoted during the gap');
  t.equal(mgets() - calls, 0, 'from the local copy');
});
