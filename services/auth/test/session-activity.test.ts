// "Last active": the gateway's Redis hash is merged into session lists and flushed to PostgreSQL
// in batches, never moving a session's activity backwards.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { flushSessionActivity } from '../src/use-cases/session-activity.ts';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn } from './helper.ts';

const activityKey = () => `test:last-active:${randomBytes(4).toString('hex')}`;

async function twoDevices(app: FastifyInstance) {
  const laptop = await signUpAndIn(app, { deviceId: 'laptop-device-1' });
  const phone = (
    await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: laptop.email, password: PASSWORD, deviceId: 'phone-device-1' } })
  ).json() as { sessionId: string; accessToken: string };
  return { laptop, phone };
}

const lastActive = async (app: FastifyInstance, token: string) =>
  Object.fromEntries(((await app.inject({ url: '/auth/sessions', headers: bearer(token) })).json().items as Array<{ id: string; lastActiveAt: string }>).map((s) => [s.id, s.lastActiveAt]));

const dbLastActive = async (app: FastifyInstance, id: string) =>
  new Date((await app.sql<{ at: Date | string }[]>`select last_active_at as at from sessions where id = ${id}`)[0]!.at).toISOString();

t.test('session lists merge activity recorded in Redis, newest first', async (t) => {
  const key = activityKey();
  const app = await buildAuth(t, { SESSION_ACTIVITY_KEY: key, SESSION_ACTIVITY_FLUSH_INTERVAL_MS: '0' });
  t.teardown(() => app.redis.del(key));
  const { laptop, phone } = await twoDevices(app);
  const before = await lastActive(app, laptop.accessToken);
  const recent = Date.now() + 60_000; // clearly newer than the sign-in
  await app.redis.hset(key, laptop.sessionId, String(recent), phone.sessionId, '1000');
  const res = await app.inject({ url: '/auth/sessions', headers: bearer(laptop.accessToken) });
  const items = res.json().items as Array<{ id: string; lastActiveAt: string }>;
  t.equal(items[0]!.id, laptop.sessionId, 'most recently active first');
  t.equal(items[0]!.lastActiveAt, new Date(recent).toISOString(), 'pending activity shown');
  t.equal(items[1]!.lastActiveAt, before[phone.sessionId], 'an older Redis value never moves it back');
  t.equal(await dbLastActive(app, laptop.sessionId), before[laptop.sessionId], 'no database write on the request path');
});

t.test('the flush writes one batch to PostgreSQL and empties the hash', async (t) => {
  const key = activityKey();
  const app = await buildAuth(t, { SESSION_ACTIVITY_KEY: key, SESSION_ACTIVITY_FLUSH_INTERVAL_MS: '0' });
  t.teardown(() => app.redis.del(key));
  const ctx = { db: app.db, redis: app.redis, config: { SESSION_ACTIVITY_KEY: key } } as unknown as Parameters<typeof flushSessionActivity>[0];
  t.equal(await flushSessionActivity(ctx), 0, 'nothing to flush');
  const { laptop, phone } = await twoDevices(app);
  const phoneBefore = await dbLastActive(app, phone.sessionId);
  const recent = Date.now() + 60_000;
  await app.redis.hset(key, laptop.sessionId, String(recent), phone.sessionId, '1000', 'not-a-session-id', String(recent), '0191a1b2-0000-7000-8000-000000000000', 'garbage');
  t.equal(await flushSessionActivity(ctx), 2, 'valid entries only');
  t.equal(await app.redis.exists(key), 0, 'hash consumed');
  t.equal((await app.redis.keys(`${key}:flushing:*`)).length, 0, 'batch key removed');
  t.equal(await dbLastActive(app, laptop.sessionId), new Date(recent).toISOString(), 'persisted');
  t.equal(await dbLastActive(app, phone.sessionId), phoneBefore, 'greatest(): not moved back');
});

t.test('the flusher runs on its interval and once more at shutdown', async (t) => {
  const key = activityKey();
  const app = await buildAuth(t, { SESSION_ACTIVITY_KEY: key, SESSION_ACTIVITY_FLUSH_INTERVAL_MS: '100' });
  t.teardown(() => app.redis.del(key));
  const { laptop } = await twoDevices(app);
  const recent = Date.now() + 60_000;
  await app.redis.hset(key, laptop.sessionId, String(recent));
  const deadline = Date.now() + 3_000;
  while ((await dbLastActive(app, laptop.sessionId)) !== new Date(recent).toISOString() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.equal(await dbLastActive(app, laptop.sessionId), new Date(recent).toISOString());
  t.equal(await app.redis.exists(key), 0);
});
