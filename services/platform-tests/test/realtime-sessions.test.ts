// Revocation end to end, through nginx: revoking a device's session makes its next API call 401
// within a second and closes its WebSocket (after a `session:revoked` push); other sessions keep
// working; "log out other devices" kills the other devices' refresh tokens too.
import t from 'tap';
import { api, newCustomer, PASSWORD, signIn } from './helper.ts';
import { connectAs, openSocket, refusedStatus, ticketFor, WS_URL } from './realtime-helper.ts';

t.test('tickets are single-use; the bearer subprotocol works through nginx', async (t) => {
  const alice = await newCustomer('ws-ticket');
  const ticket = await ticketFor(alice);
  const first = await openSocket(`${WS_URL}?ticket=${ticket}`);
  t.match((await first.next((m) => m.type === 'welcome')).payload, { userId: alice.user.id, sessionId: alice.sessionId });
  t.equal(await refusedStatus(openSocket(`${WS_URL}?ticket=${ticket}`)), 401, 'a reused ticket is refused');
  t.equal(await refusedStatus(openSocket(WS_URL)), 401, 'no credentials → 401');
  const byToken = await openSocket(WS_URL, ['bearer', alice.accessToken]);
  t.equal(byToken.socket.protocol, 'bearer');
  await byToken.next((m) => m.type === 'welcome');
  byToken.socket.send(JSON.stringify({ type: 'ping', id: 'p1' }));
  t.same((await byToken.next((m) => m.type === 'pong')).payload, { id: 'p1' });
  first.close();
  byToken.close();
});

t.test('revoking one device: 401 within 1 s, its socket closed, the other device unaffected', async (t) => {
  const laptop = await newCustomer('ws-revoke');
  const phone = await signIn(laptop.email, PASSWORD, 'phone-device-ws-1');
  const phoneSocket = await connectAs(phone);
  const laptopSocket = await connectAs(laptop);

  const revoke = await api('DELETE', `/api/auth/sessions/${phone.sessionId}`, { token: laptop.accessToken });
  t.equal(revoke.status, 204);
  const revokedAt = Date.now();
  const next = await api('GET', '/api/auth/me', { token: phone.accessToken });
  t.equal(next.status, 401, "the revoked device's next call is refused");
  t.equal(next.body.code, 'AUTH_SESSION_REVOKED');
  t.ok(Date.now() - revokedAt < 1_000, `refused ${Date.now() - revokedAt} ms after the revocation`);
  t.equal((await api('GET', '/api/payments', { token: phone.accessToken })).status, 401, 'refused for every service');

  const pushed = await phoneSocket.next((m) => m.type === 'session:revoked', 10_000, 'session:revoked');
  t.match(pushed.payload, { sessionId: phone.sessionId, reason: 'revoked-by-user' });
  const closed = await phoneSocket.closed;
  t.equal(closed.code, 4409, 'closed with 4409 session revoked');
  t.ok(closed.at - revokedAt < 10_000, `socket closed ${closed.at - revokedAt} ms after the revocation`);
  t.equal(await refusedStatus(openSocket(WS_URL, ['bearer', phone.accessToken])), 401, 'cannot reconnect');

  t.equal((await api('GET', '/api/auth/me', { token: laptop.accessToken })).status, 200, 'the laptop keeps working');
  t.equal(laptopSocket.socket.readyState, laptopSocket.socket.OPEN, "the laptop's socket stays open");
  t.notOk(laptopSocket.messages.some((m) => m.type === 'session:revoked'));
  laptopSocket.close();
});

t.test('"log out other devices": the other socket gets session:revoked and its refresh token is dead', async (t) => {
  const a = await newCustomer('ws-others');
  const b = await signIn(a.email, PASSWORD, 'device-b-ws-others');
  const bSocket = await connectAs(b);
  const aSocket = await connectAs(a);

  const res = await api('POST', '/api/auth/sessions/revoke-others', { token: a.accessToken });
  t.equal(res.status, 200);
  t.ok(res.body.revoked >= 1);
  const pushed = await bSocket.next((m) => m.type === 'session:revoked', 10_000, 'session:revoked');
  t.match(pushed.payload, { sessionId: b.sessionId, reason: 'signed-out-elsewhere' });
  t.equal((await bSocket.closed).code, 4409);
  const refresh = await api('POST', '/api/auth/refresh', { body: { refreshToken: b.refreshToken } });
  t.equal(refresh.status, 401, "B's refresh token is dead");
  t.equal((await api('GET', '/api/auth/me', { token: b.accessToken })).status, 401);
  t.equal((await api('GET', '/api/auth/me', { token: a.accessToken })).status, 200, 'A stays signed in');
  t.equal(aSocket.socket.readyState, aSocket.socket.OPEN);
  aSocket.close();
});
