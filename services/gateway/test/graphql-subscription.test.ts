// paymentUpdated over graphql-ws (graphql-transport-ws) on a listening gateway: authenticated like
// /ws (bearer subprotocol or ticket), fed by the /ws event bridge (dispatch is what the bridge's
// consumer calls), only the subscriber's own payments, closed when the session is revoked.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createEvent } from '@bank/events';
import { graphqlGateway, graphqlWs } from './graphql-helper.ts';
import { identity } from './ws-helper.ts';

const SUBSCRIBE = 'subscription { paymentUpdated { type paymentId status senderId recipientId amount currency } }';

const paymentEvent = (senderId: string, recipientId: string, type: 'payments.payment.completed' | 'payments.payment.created' = 'payments.payment.completed') =>
  createEvent<'payments.payment.completed'>({
    type: type as 'payments.payment.completed',
    source: 'payments',
    data: { paymentId: randomUUID(), userId: senderId, senderId, recipientId, amount: 1050, currency: 'EUR', status: type === 'payments.payment.created' ? 'pending' : 'completed', type: 'instant' },
  });

/** The HTTP status an upgrade was refused with (101 when it succeeded). */
const upgradeStatus = (opened: Promise<void>) => opened.then(() => 101, (err: { statusCode?: number }) => err.statusCode ?? 0);

async function subscribed(url: string, protocols: string[]) {
  const client = graphqlWs(url, protocols);
  await client.opened;
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  client.send({ id: '1', type: 'subscribe', payload: { query: SUBSCRIBE } });
  // The subscription is registered once the server has processed the message.
  await new Promise((r) => setTimeout(r, 100));
  return client;
}

t.test('a customer receives updates of their own payments only; an admin receives all', async (t) => {
  const gw = await graphqlGateway(t);
  const url = gw.httpUrl.replace('http://', 'ws://');
  const alice = identity();
  const bob = identity();
  const admin = identity('ADMIN');
  const aliceWs = await subscribed(url, ['graphql-transport-ws', 'bearer', alice.token]);
  t.teardown(() => aliceWs.socket.terminate());
  const adminWs = await subscribed(`${url}?ticket=${await admin.ticket(gw.app)}`, ['graphql-transport-ws']);
  t.teardown(() => adminWs.socket.terminate());
  t.equal(aliceWs.socket.protocol, 'graphql-transport-ws');

  const others = paymentEvent(bob.sub, randomUUID());
  gw.app.ws.dispatch(others);
  const forAdmin = await adminWs.next('next');
  t.equal((forAdmin.payload as { data: { paymentUpdated: { paymentId: string } } }).data.paymentUpdated.paymentId, others.data.paymentId, 'admin sees every payment');

  const received = paymentEvent(bob.sub, alice.sub);
  gw.app.ws.dispatch(received);
  const update = await aliceWs.next('next');
  t.same((update.payload as { data: unknown }).data, {
    paymentUpdated: { type: 'payment:completed', paymentId: received.data.paymentId, status: 'completed', senderId: bob.sub, recipientId: alice.sub, amount: 1050, currency: 'EUR' },
  });
  t.notOk(aliceWs.messages.some((m) => m.type === 'next'), "bob's other payment never reached alice");
});

t.test('refused without credentials, with a token in the URL, a spent ticket or a foreign Origin', async (t) => {
  const gw = await graphqlGateway(t);
  const url = gw.httpUrl.replace('http://', 'ws://');
  const user = identity();
  t.equal(await upgradeStatus(graphqlWs(url, ['graphql-transport-ws']).opened), 401);
  t.equal(await upgradeStatus(graphqlWs(`${url}?access_token=${user.token}`, ['graphql-transport-ws']).opened), 401);
  const ticket = await user.ticket(gw.app);
  const first = graphqlWs(`${url}?ticket=${ticket}`, ['graphql-transport-ws']);
  await first.opened;
  first.socket.terminate();
  t.equal(await upgradeStatus(graphqlWs(`${url}?ticket=${ticket}`, ['graphql-transport-ws']).opened), 401, 'a ticket is single-use');
  const withOrigin = new WebSocket(url, ['graphql-transport-ws', 'bearer', user.token], { headers: { origin: 'https://evil.example' } });
  withOrigin.on('error', () => {});
  const status = await new Promise<number>((resolve) => withOrigin.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
  t.equal(status, 403, 'foreign Origin refused');
});

t.test('a revoked session closes its subscription (4403); depth limits apply to subscriptions too', async (t) => {
  const gw = await graphqlGateway(t, { GRAPHQL_MAX_DEPTH: '2' });
  const url = gw.httpUrl.replace('http://', 'ws://');
  const user = identity();
  const client = graphqlWs(url, ['graphql-transport-ws', 'bearer', user.token]);
  await client.opened;
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  client.send({ id: 'deep', type: 'subscribe', payload: { query: 'subscription { paymentUpdated { type } } query Q { payments { items { schedule { id } } } }', operationName: 'Q' } });
  const refused = await client.next('error');
  t.equal(refused.id, 'deep', 'the too-deep operation is refused on the socket');
  gw.app.ws.dispatch(createEvent({ type: 'auth.session.revoked', source: 'auth', data: { userId: user.sub, sessionId: user.sid, reason: 'signout', expiresAt: new Date(Date.now() + 60_000).toISOString() } }));
  const closed = await client.closed;
  t.equal(closed.code, 4403);
  t.equal(closed.reason, 'Session revoked');
});

t.test('a subscription document is validated against the schema: an unknown field is an error, not silent nulls', async (t) => {
  const gw = await graphqlGateway(t);
  const url = gw.httpUrl.replace('http://', 'ws://');
  const user = identity();
  const client = graphqlWs(url, ['graphql-transport-ws', 'bearer', user.token]);
  t.teardown(() => client.socket.terminate());
  await client.opened;
  client.send({ type: 'connection_init' });
  await client.next('connection_ack');
  // PaymentEvent has paymentId, not id (the mistake a client makes first)
  client.send({ id: 'bad', type: 'subscribe', payload: { query: 'subscription { paymentUpdated { id status } }' } });
  const first = await Promise.race([
    client.next('error'),
    new Promise<{ type: string }>((r) => setTimeout(() => r({ type: 'no error within 2 s' }), 2000)),
  ]);
  t.equal(first.type, 'error', 'the subscribe is refused on the socket');
  t.match((first as { payload?: unknown }).payload, [{ message: /Cannot query field "id" on type "PaymentEvent"/, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', status: 400 } }]);
});
