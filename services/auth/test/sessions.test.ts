// Devices and sessions: list, revoke one, log out other devices.
import t from 'tap';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn } from './helper.ts';

t.test('sessions per device, revoke one and revoke others', async (t) => {
  const app = await buildAuth(t);
  const laptop = await signUpAndIn(app, { deviceId: 'laptop-device-1' });
  const signInOn = async (deviceId: string, ua: string) =>
    (
      await app.inject({
        method: 'POST',
        url: '/auth/signin',
        remoteAddress: randomIp(),
        headers: { 'user-agent': ua },
        payload: { email: laptop.email, password: PASSWORD, deviceId },
      })
    ).json();
  const phone = await signInOn('phone-device-1', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1');
  const tablet = await signInOn('tablet-device-1', 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1');

  const list = await app.inject({ url: '/auth/sessions', headers: bearer(laptop.accessToken) });
  t.equal(list.statusCode, 200);
  const items = list.json().items as Array<{ id: string; current: boolean; deviceType: string; deviceName: string }>;
  t.equal(items.length, 3);
  t.same(items.filter((s) => s.current).map((s) => s.id), [laptop.sessionId], 'current one marked');
  t.ok(items.some((s) => s.deviceType === 'mobile' && s.deviceName === 'Safari on iOS'));

  // Another user cannot revoke my session: it is "not found" for them.
  const stranger = await signUpAndIn(app);
  const foreign = await app.inject({ method: 'DELETE', url: `/auth/sessions/${phone.sessionId}`, headers: bearer(stranger.accessToken) });
  t.equal(foreign.statusCode, 404);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(phone.accessToken) })).statusCode, 200);

  const revoke = await app.inject({ method: 'DELETE', url: `/auth/sessions/${phone.sessionId}`, headers: bearer(laptop.accessToken) });
  t.equal(revoke.statusCode, 204);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(phone.accessToken) })).statusCode, 401);
  const again = await app.inject({ method: 'DELETE', url: `/auth/sessions/${phone.sessionId}`, headers: bearer(laptop.accessToken) });
  t.equal(again.statusCode, 404, 'already revoked');
  const badId = await app.inject({ method: 'DELETE', url: '/auth/sessions/not-a-uuid', headers: bearer(laptop.accessToken) });
  t.equal(badId.statusCode, 400);

  const others = await app.inject({ method: 'POST', url: '/auth/sessions/revoke-others', headers: bearer(laptop.accessToken) });
  t.same(others.json(), { revoked: 1 });
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(tablet.accessToken) })).statusCode, 401);
  t.equal((await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: tablet.refreshToken } })).statusCode, 401);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(laptop.accessToken) })).statusCode, 200, 'this device stays signed in');
});

t.test('a WebSocket ticket is stored for 30 s', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  const res = await app.inject({ method: 'POST', url: '/auth/ws-ticket', headers: bearer(s.accessToken) });
  t.equal(res.statusCode, 200);
  const { ticket, expiresIn } = res.json();
  t.equal(expiresIn, 30);
  const stored = JSON.parse((await app.redis.get(`auth:ws-ticket:${ticket}`)) ?? '{}');
  t.same(stored, { sub: s.user.id, role: 'CUSTOMER', sid: s.sessionId });
  t.ok((await app.redis.ttl(`auth:ws-ticket:${ticket}`)) <= 30);
});
