// Heartbeat termination, the revocation sweep, and shutdown closing sockets cleanly.
import t from 'tap';
import { currentRoleKey, revokedSessionKey } from '@bank/kit';
import { CloseCodes } from '../src/ws/close-codes.ts';
import { connectReady, identity, listenGateway, sleep, waitFor } from './ws-helper.ts';

t.test('a client that stops answering pings is terminated; one that answers stays', async (t) => {
  const gw = await listenGateway(t, { WS_HEARTBEAT_INTERVAL_MS: '150', WS_HEARTBEAT_TIMEOUT_MS: '60' });
  const alive = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  // ws answers pings automatically unless autoPong is off: this one plays dead.
  const silent = await connectReady(gw.url, { protocols: ['bearer', identity().token], options: { autoPong: false } });
  let pings = 0;
  silent.socket.on('ping', () => (pings += 1));
  const started = Date.now();
  const closed = await silent.closed;
  t.equal(closed.code, 1006, 'terminated without a close handshake');
  t.ok(pings >= 1, 'it was pinged first');
  t.ok(Date.now() - started < 1_000, 'within one heartbeat round');
  await sleep(400);
  t.equal(alive.socket.readyState, alive.socket.OPEN, 'the responsive client survived several rounds');
  t.equal(gw.app.ws.registry.clients.size, 1);
  alive.socket.close();
});

t.test('each heartbeat round closes sockets of sessions revoked meanwhile (missed event)', async (t) => {
  const gw = await listenGateway(t, { WS_HEARTBEAT_INTERVAL_MS: '150', WS_HEARTBEAT_TIMEOUT_MS: '60' });
  const dave = identity();
  const other = identity();
  const client = await connectReady(gw.url, { protocols: ['bearer', dave.token] });
  const bystander = await connectReady(gw.url, { protocols: ['bearer', other.token] });
  await gw.app.redis.set(revokedSessionKey(dave.sid), '1', 'EX', 30);
  t.teardown(() => gw.app.redis.del(revokedSessionKey(dave.sid)));
  const revoked = await client.next('session:revoked', 1_000);
  t.equal(revoked.payload.sessionId, dave.sid);
  t.equal((await client.closed).code, CloseCodes.SESSION_REVOKED);
  t.equal(bystander.socket.readyState, bystander.socket.OPEN);
  bystander.socket.close();
});

t.test('each heartbeat round moves sockets whose user changed role (missed event)', async (t) => {
  const gw = await listenGateway(t, { WS_HEARTBEAT_INTERVAL_MS: '150', WS_HEARTBEAT_TIMEOUT_MS: '60' });
  const erin = identity('ADMIN');
  const client = await connectReady(gw.url, { protocols: ['bearer', erin.token] });
  t.equal(gw.app.ws.registry.members('role:admin').size, 1);
  await gw.app.redis.set(currentRoleKey(erin.sub), 'CUSTOMER', 'EX', 30);
  t.teardown(() => gw.app.redis.del(currentRoleKey(erin.sub)));
  await waitFor(() => gw.app.ws.registry.members('role:admin').size === 0, 'the sweep to move the socket', 1_000);
  t.equal(client.socket.readyState, client.socket.OPEN, 'the socket stays open, out of the admin room');
  t.equal([...gw.app.ws.registry.clients][0]?.role, 'CUSTOMER');
  client.socket.close();
});

t.test('close() sends 1001 to every client and does not hang', async (t) => {
  const gw = await listenGateway(t);
  const clients = await Promise.all([0, 1, 2].map(() => connectReady(gw.url, { protocols: ['bearer', identity().token] })));
  const started = Date.now();
  await gw.close();
  t.ok(Date.now() - started < 2_000, `closed in ${Date.now() - started} ms`);
  for (const c of clients) t.same(await c.closed, { code: CloseCodes.GOING_AWAY, reason: 'server shutting down' });
});

t.test('close() terminates clients that do not complete the close handshake', async (t) => {
  const gw = await listenGateway(t, { WS_CLOSE_GRACE_MS: '100' });
  const client = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  // Stop reading: the close frame is never answered.
  client.socket.pause();
  const started = Date.now();
  await gw.close();
  t.ok(Date.now() - started < 1_500, `closed in ${Date.now() - started} ms`);
  t.equal(gw.app.ws.registry.clients.size, 0);
  client.socket.terminate();
});
