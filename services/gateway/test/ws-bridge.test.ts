// The event bridge against a real RabbitMQ (a vhost per run): two gateway processes side by side,
// each consuming its own exclusive queue and delivering once to its own clients.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { CloseCodes } from '../src/ws/close-codes.ts';
import { connectReady, createVhost, hubPublisher, identity, listenGateway, sleep, waitFor } from './ws-helper.ts';

t.test('bridge routing across two gateway instances', async (t) => {
  const hub = await createVhost(t, 'bridge');
  const env = { WS_BRIDGE_ENABLED: 'true', RABBITMQ_URL: hub.url };
  const gw1 = await listenGateway(t, env);
  const gw2 = await listenGateway(t, env);
  await Promise.all([gw1.app.ws.bridge!.ready, gw2.app.ws.bridge!.ready]);
  t.match(gw1.app.ws.bridge!.queue, /^gateway\.ws\.[a-z0-9-]+$/, 'queue under the gateway. prefix');
  t.not(gw1.app.ws.bridge!.queue, gw2.app.ws.bridge!.queue, 'one queue per process');
  const queues = await hub.list('name', 'exclusive', 'auto_delete');
  for (const gw of [gw1, gw2]) t.match(queues, new RegExp(`${gw.app.ws.bridge!.queue.replace(/\./g, '\\.')}\\s+true\\s+true`), 'exclusive and auto-delete');
  const publisher = await hubPublisher(t, hub.url);

  const alice = identity();
  const bob = identity();
  const carol = identity();
  const admin = identity('ADMIN');
  const on = (gw: typeof gw1, who: ReturnType<typeof identity>) => connectReady(gw.url, { protocols: ['bearer', who.token] });
  const aliceSock = await on(gw1, alice);
  const bobSock = await on(gw2, bob);
  const carolSock = await on(gw1, carol);
  const admin1 = await on(gw1, admin);
  const admin2 = await on(gw2, admin);

  const payment = {
    paymentId: randomUUID(),
    userId: alice.sub,
    senderId: alice.sub,
    recipientId: bob.sub,
    amount: 1250,
    currency: 'EUR',
    status: 'pending' as const,
    type: 'instant' as const,
  };
  const created = await publisher.publish('payments.payment.created', 'payments', payment);
  for (const [label, client] of [['sender', aliceSock], ['recipient on the other gateway', bobSock], ['admin on gw1', admin1], ['admin on gw2', admin2]] as const) {
    const message = await client.next('payment:created');
    t.match(message, { type: 'payment:created', timestamp: created.occurredAt, correlationId: created.correlationId, payload: { paymentId: payment.paymentId, amount: 1250, status: 'pending', eventId: created.id } }, label);
    t.notOk('userId' in message.payload, 'envelope-internal fields are not pushed');
  }
  await publisher.publish('payments.payment.completed', 'payments', { ...payment, status: 'completed' });
  t.equal((await aliceSock.next('payment:completed')).payload.status, 'completed');
  await admin2.next('payment:completed');

  // Every event is announced to admins from the event itself (admin records it in its audit log
  // and no longer re-publishes an admin.audit.created per entry).
  for (const client of [admin1, admin2]) {
    t.match((await client.next('admin:audit-created')).payload, { eventId: created.id, eventType: 'payments.payment.created', source: 'payments', userId: alice.sub });
    t.match((await client.next('admin:audit-created')).payload, { eventType: 'payments.payment.completed' });
  }

  // Invalid or unauthorised events are dropped, never forwarded.
  await publisher.raw('payments.payment.created', { ...created, id: randomUUID().replace(/^(.{14})./, '$17'), data: { ...payment, amount: -1 } });
  await publisher.raw('payments.payment.created', { ...created, source: 'auth' });
  await publisher.raw('payments.payment.created', 'not an envelope');
  await sleep(300);

  // Exactly once per client: nothing duplicated across the two processes, nothing for carol.
  const count = (c: typeof aliceSock, type: string) => c.messages.filter((m) => m.type === type).length;
  t.equal(count(aliceSock, 'payment:created'), 0, 'alice got created exactly once (already consumed)');
  t.equal(count(admin1, 'payment:created') + count(admin2, 'payment:created'), 0, 'each admin socket got it once');
  t.same(carolSock.messages, [], 'an unrelated customer gets nothing');
  t.same(bobSock.messages.map((m) => m.type), ['payment:completed'], 'bob: only the completion is left unread');
  t.notOk(aliceSock.messages.some((m) => m.type === 'admin:audit-created'), 'customers do not get admin events');
  const metrics = (await gw1.app.inject({ url: '/metrics' })).body;
  t.match(metrics, /ws_messages_dropped_total\{reason="invalid-event"[^}]*\} [1-9]/);
  t.match(metrics, /ws_messages_dropped_total\{reason="unauthorised-source"[^}]*\} [1-9]/);
  t.match(metrics, /ws_delivery_latency_seconds_count\{[^}]*type="payment:created"[^}]*\} [1-9]/);

  // Revocation: that session's sockets get session:revoked, then close 4409; others stay.
  const aliceSecond = await on(gw2, alice);
  await publisher.publish('auth.session.revoked', 'auth', { userId: alice.sub, sessionId: alice.sid, reason: 'revoked-by-user', expiresAt: new Date(Date.now() + 600_000).toISOString() });
  for (const client of [aliceSock, aliceSecond]) {
    t.match((await client.next('session:revoked')).payload, { sessionId: alice.sid, reason: 'revoked-by-user' });
    t.equal((await client.closed).code, CloseCodes.SESSION_REVOKED);
  }
  t.equal(bobSock.socket.readyState, bobSock.socket.OPEN);
  for (const c of [bobSock, carolSock, admin1, admin2]) c.socket.close();
});

t.test('a role change (auth.user.updated) moves the user\'s sockets between the role rooms', async (t) => {
  const hub = await createVhost(t, 'roles');
  const gw = await listenGateway(t, { WS_BRIDGE_ENABLED: 'true', RABBITMQ_URL: hub.url });
  await gw.app.ws.bridge!.ready;
  const publisher = await hubPublisher(t, hub.url);
  const demoted = identity('ADMIN');
  const promoted = identity('CUSTOMER');
  const demotedSock = await connectReady(gw.url, { protocols: ['bearer', demoted.token] });
  const promotedSock = await connectReady(gw.url, { protocols: ['bearer', promoted.token] });
  const user = (who: ReturnType<typeof identity>, role: 'ADMIN' | 'CUSTOMER') => ({ userId: who.sub, email: `${who.sub}@example.test`, name: 'Someone', role, status: 'active' as const });

  const startedAt = Date.now();
  await publisher.publish('auth.user.updated', 'auth', user(demoted, 'CUSTOMER'));
  t.same((await demotedSock.next('session:role-changed')).payload.role, 'CUSTOMER', 'the socket is told');
  t.comment(`demotion event → socket out of role:admin in ${Date.now() - startedAt} ms`);
  await publisher.publish('auth.user.updated', 'auth', user(promoted, 'ADMIN'));
  await promotedSock.next('session:role-changed');
  t.same([...gw.app.ws.registry.members('role:admin')].map((c) => c.userId), [promoted.sub], 'only the promoted user is in role:admin');

  // Drain the announcements of the two role changes (both sockets may have had them), then one more.
  await sleep(200);
  demotedSock.messages.length = 0;
  promotedSock.messages.length = 0;
  await publisher.publish('auth.login.failed', 'auth', { email: 'someone@example.test', ip: '10.0.0.1', reason: 'bad-password' });
  t.match((await promotedSock.next('admin:audit-created')).payload, { eventType: 'auth.login.failed', userId: null });
  await sleep(200);
  t.notOk(demotedSock.messages.some((m) => m.type === 'admin:audit-created'), 'the demoted admin no longer receives admin events');
  t.equal(demotedSock.socket.readyState, demotedSock.socket.OPEN, 'their socket stays open');
  demotedSock.socket.close();
  promotedSock.socket.close();
});

t.test('the bridge queue disappears with its gateway', async (t) => {
  const hub = await createVhost(t, 'autodelete');
  const gw = await listenGateway(t, { WS_BRIDGE_ENABLED: 'true', RABBITMQ_URL: hub.url });
  await gw.app.ws.bridge!.ready;
  const queue = gw.app.ws.bridge!.queue;
  // (rabbitmqctl takes seconds on a loaded machine: both listings at once.)
  const [queues, consumers] = await Promise.all([hub.list('name'), hub.consumers('queue_name', 'ack_required')]);
  t.match(queues, queue);
  // Best-effort pushes: consumed with automatic acknowledgement (no per-event settlement).
  t.match(consumers, new RegExp(`${queue.replace(/\./g, '\\.')}\\s+false`), 'consumed without acks');
  t.equal((await gw.app.inject({ url: '/health/ready' })).json().checks['ws-bridge'].status, 'up');
  await gw.close();
  await waitFor(async () => !(await hub.list('name')).includes(queue), 'the queue to be deleted', 10_000);
  t.pass('deleted');
});
