// Payment events reach the right sockets through the whole chain (payments outbox → RabbitMQ →
// every gateway's bridge queue → sockets → nginx → client): the sender and the recipient get
// `payment:created` then the final status, the admin gets all of it, a bystander gets nothing.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { adminSession, api, eventually, newCustomer } from './helper.ts';
import { connectAs, type ServerMessage } from './realtime-helper.ts';

const FINAL = ['payment:completed', 'payment:failed'];

t.test('payment events: owner, recipient and admin are told; nobody else', async (t) => {
  const alice = await newCustomer('ws-pay-alice');
  const bob = await newCustomer('ws-pay-bob');
  const carol = await newCustomer('ws-pay-carol');
  const admin = await adminSession();
  const [aliceSock, bobSock, carolSock, adminSock] = await Promise.all([connectAs(alice), connectAs(bob), connectAs(carol), connectAs(admin)]);

  // payments learns about bob from auth events; retry until its replica has him.
  const body = { recipientEmail: bob.email, amount: 4200, currency: 'EUR', type: 'instant', description: 'realtime test' };
  const key = randomUUID();
  const created = await eventually(async () => {
    const res = await api('POST', '/api/payments', { token: alice.accessToken, body, headers: { 'idempotency-key': key } });
    return res.status === 201 ? res : undefined;
  }, 20_000);
  const payment = created.body.payment ?? created.body;
  const ofPayment = (type: string | string[]) => (m: ServerMessage) => (Array.isArray(type) ? type.includes(m.type) : m.type === type) && m.payload.paymentId === payment.id;

  const first = await aliceSock.next(ofPayment('payment:created'), 15_000, 'payment:created');
  t.match(first.payload, { paymentId: payment.id, senderId: alice.user.id, recipientId: bob.user.id, amount: 4200, currency: 'EUR', status: 'pending' });
  t.match(first.timestamp, /^\d{4}-\d\d-\d\dT/);
  t.type(first.correlationId, 'string');
  const final = await aliceSock.next(ofPayment(FINAL), 30_000, 'the final status');
  t.equal(final.payload.status, final.type.split(':')[1], 'the final message carries the final status');
  const aliceTypes = aliceSock.messages.filter((m) => m.payload.paymentId === payment.id).map((m) => m.type);
  t.ok(aliceTypes.indexOf('payment:created') < aliceTypes.indexOf(final.type), `created before ${final.type}: ${aliceTypes.join(' → ')}`);

  await bobSock.next(ofPayment('payment:created'), 10_000, 'payment:created for the recipient');
  await bobSock.next(ofPayment(FINAL), 10_000, 'final status for the recipient');
  const adminTypes = async () => {
    await adminSock.next(ofPayment(final.type), 10_000, 'final status for the admin');
    return adminSock.messages.filter((m) => m.payload.paymentId === payment.id).map((m) => m.type);
  };
  t.same(await adminTypes(), aliceTypes, 'the admin got every event the owner got, in the same order');

  await new Promise((r) => setTimeout(r, 500));
  t.same(carolSock.messages.filter((m) => m.type.startsWith('payment:')), [], 'another customer gets nothing');
  t.equal(aliceSock.messages.filter(ofPayment('payment:created')).length, 1, 'delivered once');
  for (const s of [aliceSock, bobSock, carolSock, adminSock]) s.close();
});
