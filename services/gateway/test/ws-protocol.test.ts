// Pure parts of the protocol: event routing, client message validation, the server allow-list,
// subprotocol and ticket parsing.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createEvent } from '@bank/events';
import { bearerFromProtocols, parseTicket } from '../src/ws/authenticate.ts';
import { Rooms } from '../src/ws/connections.ts';
import { BRIDGED_EVENT_TYPES, deliveriesOf, routeEvent } from '../src/ws/event-routing.ts';
import { encodeServerMessage, parseClientMessage, type ServerMessage } from '../src/ws/messages.ts';

const payment = (senderId: string, recipientId: string) => ({
  paymentId: randomUUID(),
  userId: senderId,
  senderId,
  recipientId,
  amount: 100,
  currency: 'EUR',
  status: 'failed' as const,
  type: 'instant' as const,
  failureReason: 'insufficient funds',
});

t.test('payment events go to sender, recipient and admins', async (t) => {
  const [a, b] = [randomUUID(), randomUUID()];
  const event = createEvent({ type: 'payments.payment.failed', source: 'payments', data: payment(a, b), correlationId: 'req-1' });
  const delivery = routeEvent(event)!;
  t.same(delivery.rooms.sort(), [`user:${a}`, `user:${b}`, 'role:admin'].sort());
  t.equal(delivery.message.type, 'payment:failed');
  t.equal(delivery.message.correlationId, 'req-1');
  t.equal(delivery.message.timestamp, event.occurredAt);
  t.match(delivery.message.payload, { failureReason: 'insufficient funds', eventId: event.id });
  t.notOk('userId' in delivery.message.payload);
  const self = routeEvent(createEvent({ type: 'payments.payment.created', source: 'payments', data: payment(a, a) }))!;
  t.same(self.rooms, [`user:${a}`, 'role:admin'], 'a payment to oneself targets the room once');
});

t.test('session, admin and unrouted events', async (t) => {
  const sid = randomUUID();
  const revoked = routeEvent(createEvent({ type: 'auth.session.revoked', source: 'auth', data: { userId: randomUUID(), sessionId: sid, reason: 'sign-out', expiresAt: new Date().toISOString() } }))!;
  t.same(revoked.rooms, [`session:${sid}`]);
  t.same(revoked.closeSessions, [sid]);
  t.equal(revoked.message.type, 'session:revoked');
  const config = routeEvent(createEvent({ type: 'admin.config.updated', source: 'admin', data: { key: 'fees', version: 2, updatedBy: sid, userId: sid } }))!;
  t.same(config.rooms, ['role:admin']);
  t.equal(config.message.type, 'admin:config-updated');
  t.equal(routeEvent(createEvent({ type: 'auth.user.disabled', source: 'auth', data: { userId: sid } })), undefined, 'not forwarded');
  const disabled = createEvent({ type: 'auth.user.disabled', source: 'auth', data: { userId: sid } });
  const deliveries = deliveriesOf(disabled);
  t.equal(deliveries.length, 1, 'an event without its own message is still announced to admins');
  t.same(deliveries[0]!.rooms, [Rooms.admins]);
  t.match(deliveries[0]!.message, { type: 'admin:audit-created', payload: { eventId: disabled.id, eventType: 'auth.user.disabled', source: 'auth', userId: sid } });
  t.same(deliveriesOf(createEvent({ type: 'admin.config.updated', source: 'admin', data: { key: 'fees', version: 2, updatedBy: sid, userId: sid } })).map((d) => d.message.type), ['admin:config-updated', 'admin:audit-created']);
  t.notOk(BRIDGED_EVENT_TYPES.includes('admin.audit.created' as never), 'admin.audit.created is no longer bridged');
  t.ok(BRIDGED_EVENT_TYPES.includes('auth.user.login'), 'every audited type is bridged');
});

t.test('client messages', async (t) => {
  const text = (s: string) => Buffer.from(s);
  t.same(parseClientMessage(text('{"type":"ping","id":"1"}'), false), { ok: true, type: 'ping', id: '1' });
  t.same(parseClientMessage(text('{"type":"ping"}'), false), { ok: true, type: 'ping', id: null });
  t.same(parseClientMessage([text('{"type":'), text('"ping"}')], false), { ok: true, type: 'ping', id: null }, 'fragmented');
  for (const bad of ['', 'null', '"ping"', '{"type":1}', '{"type":"PING"}', '{"type":"ping","id":7}']) t.equal(parseClientMessage(text(bad), false).ok, false, bad);
  t.equal(parseClientMessage(text('{"type":"ping"}'), true).ok, false, 'binary');
});

t.test('only allow-listed server messages can be encoded', async (t) => {
  const message = { type: 'payment:created', payload: {}, timestamp: new Date().toISOString(), correlationId: null } satisfies ServerMessage;
  t.same(JSON.parse(encodeServerMessage(message).toString()), message);
  t.throws(() => encodeServerMessage({ ...message, type: 'debug:dump' } as unknown as ServerMessage), /not allowed/);
});

t.test('subprotocol token and ticket parsing', async (t) => {
  t.equal(bearerFromProtocols('bearer, abc.def.ghi'), 'abc.def.ghi');
  t.equal(bearerFromProtocols(['v1', 'bearer,tok']), 'tok');
  t.equal(bearerFromProtocols('bearer'), undefined);
  t.equal(bearerFromProtocols('graphql-ws'), undefined);
  t.equal(bearerFromProtocols(undefined), undefined);
  const sub = randomUUID();
  const sid = randomUUID();
  t.same(parseTicket(JSON.stringify({ sub, sid, role: 'ADMIN', extra: 1 })), { sub, sid, role: 'ADMIN' });
  t.equal(parseTicket(JSON.stringify({ sub, sid, role: 'ROOT' })), undefined);
  t.equal(parseTicket(JSON.stringify({ sub: 'x', sid, role: 'ADMIN' })), undefined);
  t.equal(parseTicket('{'), undefined);
  t.equal(parseTicket(null), undefined);
});
