// Admin revoke of all of a user's sessions: immediate (Redis marker), evented, ADMIN only.
import t from 'tap';
import { revokedSessionKey } from '@bank/kit';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn, uniqueEmail } from './helper.ts';

t.test("an admin revokes every session of a user", async (t) => {
  const adminEmail = uniqueEmail('admin');
  const app = await buildAuth(t, { SEED_DEMO_USERS: 'true', DEMO_ADMIN_EMAIL: adminEmail, DEMO_CUSTOMER_EMAIL: uniqueEmail('cust') });
  const admin = (await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: adminEmail, password: 'Admin!Passw0rd' } })).json();
  const laptop = await signUpAndIn(app, { deviceId: 'laptop-device-1' });
  const phone = (await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: laptop.email, password: PASSWORD, deviceId: 'phone-device-1' } })).json();
  const bystander = await signUpAndIn(app);

  const forbidden = await app.inject({ method: 'POST', url: `/auth/users/${laptop.user.id}/revoke-sessions`, headers: bearer(bystander.accessToken) });
  t.equal(forbidden.statusCode, 403, 'customers may not');
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(laptop.accessToken) })).statusCode, 200);

  const res = await app.inject({ method: 'POST', url: `/auth/users/${laptop.user.id}/revoke-sessions`, headers: bearer(admin.accessToken) });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { revoked: 2 });
  for (const s of [laptop, phone]) {
    const me = await app.inject({ url: '/auth/me', headers: bearer(s.accessToken) });
    t.equal(me.statusCode, 401, 'access token rejected at once');
    t.equal(me.json().code, 'AUTH_SESSION_REVOKED');
    t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: s.refreshToken } })).statusCode, 401, 'refresh token dead');
    const ttl = await app.redis.ttl(revokedSessionKey(s.sessionId));
    t.ok(ttl > 600 && ttl <= 660, `marker outlives the access token (ttl ${ttl})`);
  }
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(bystander.accessToken) })).statusCode, 200, 'other users unaffected');
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(admin.accessToken) })).statusCode, 200);

  const events = await app.sql<{ payload: { data: { sessionId: string; reason: string; userId: string } } }[]>`
    select payload from outbox where event_type = 'auth.session.revoked' order by id`;
  t.same(
    events.map((e) => e.payload.data.sessionId).sort(),
    [laptop.sessionId, phone.sessionId].sort(),
    'one auth.session.revoked per session (the gateway closes their sockets)',
  );
  t.ok(events.every((e) => e.payload.data.reason === 'revoked-by-admin' && e.payload.data.userId === laptop.user.id));

  t.same((await app.inject({ method: 'POST', url: `/auth/users/${laptop.user.id}/revoke-sessions`, headers: bearer(admin.accessToken) })).json(), { revoked: 0 }, 'idempotent');
  const again = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: laptop.email, password: PASSWORD } });
  t.equal(again.statusCode, 200, 'the account itself is not disabled');
});

t.test('revoking the sessions of an unknown user is 404', async (t) => {
  const adminEmail = uniqueEmail('admin');
  const app = await buildAuth(t, { SEED_DEMO_USERS: 'true', DEMO_ADMIN_EMAIL: adminEmail, DEMO_CUSTOMER_EMAIL: uniqueEmail('cust') });
  const admin = (await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: adminEmail, password: 'Admin!Passw0rd' } })).json();
  const res = await app.inject({ method: 'POST', url: '/auth/users/0192c9a4-7a3e-7cc1-9f3c-5b1f0a2e4d11/revoke-sessions', headers: bearer(admin.accessToken) });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'AUTH_USER_NOT_FOUND');
});
