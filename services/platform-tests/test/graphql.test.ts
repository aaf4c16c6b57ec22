// GraphQL through nginx against the running platform: the same results and the same refusals as
// REST (authorisation matrix, no IDOR, Idempotency-Key, revocation), and paymentUpdated over
// graphql-ws receiving a real payment's updates from the hub bridge.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { adminSession, api, eventually, newCustomer, PLATFORM_URL, type Session } from './helper.ts';

const gql = (session: Pick<Session, 'accessToken'> | undefined, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  api('POST', '/graphql', { ...(session ? { token: session.accessToken } : {}), body: { query, ...(variables ? { variables } : {}) }, headers });

const PAYMENT_FIELDS = 'id senderId recipientId recipientEmail amount currency type description status failureReason scheduleId occurrenceIndex createdAt';
const CREATE = `mutation($input: CreatePaymentInput!, $key: String) { createPayment(input: $input, idempotencyKey: $key) { ${PAYMENT_FIELDS} } }`;
const pick = (p: Record<string, unknown>) => Object.fromEntries(PAYMENT_FIELDS.split(' ').map((k) => [k, p[k]]));

t.test('GraphQL and REST agree: results, pagination, refusals (no IDOR), idempotency, revocation', async (t) => {
  const alice = await newCustomer('gql-alice');
  const bob = await newCustomer('gql-bob');
  const mallory = await newCustomer('gql-mallory');
  const admin = await adminSession();

  const me = await gql(alice, '{ me { id email role status } }');
  t.equal(me.status, 200, me.text);
  const restMe = await api('GET', '/api/auth/me', { token: alice.accessToken });
  t.same(me.body.data.me, { id: restMe.body.user.id, email: restMe.body.user.email, role: restMe.body.user.role, status: restMe.body.user.status });

  const key = randomUUID();
  const input = { recipientEmail: bob.email, amount: 1234, currency: 'EUR', type: 'instant', description: 'graphql parity' };
  const created = await gql(alice, CREATE, { input, key });
  t.equal(created.status, 200, created.text);
  const payment = created.body.data.createPayment;
  t.match(payment, { senderId: alice.user.id, recipientId: bob.user.id, amount: 1234, currency: 'EUR' });
  const restReplay = await api('POST', '/api/payments', { token: alice.accessToken, body: input, headers: { 'idempotency-key': key } });
  t.equal(restReplay.body.id, payment.id, 'the same key through REST replays the payment GraphQL created');
  // Compared once the processor is done with it (a read in between could see another status).
  const restPayment = await eventually(async () => {
    const res = await api('GET', `/api/payments/${payment.id}`, { token: alice.accessToken });
    return ['completed', 'failed'].includes(res.body.status) ? res : undefined;
  });
  t.same(pick((await gql(alice, `query($id: ID!) { payment(id: $id) { ${PAYMENT_FIELDS} } }`, { id: payment.id })).body.data.payment), pick(restPayment.body), 'payment(id) = GET /api/payments/:id');
  const noKey = await gql(alice, CREATE, { input });
  const restNoKey = await api('POST', '/api/payments', { token: alice.accessToken, body: input });
  t.equal(noKey.body.errors[0].extensions.code, restNoKey.body.code, `missing key: ${restNoKey.body.code} both ways`);
  t.equal(noKey.body.errors[0].extensions.status, restNoKey.status);

  // The authorisation matrix: who may read and cancel alice's payment, through both APIs.
  const matrix: Array<[string, Session, boolean]> = [
    ['sender', alice, true],
    ['recipient', bob, true],
    ['stranger', mallory, false],
    ['admin', admin, true],
  ];
  for (const [who, session, canRead] of matrix) {
    const viaGql = await gql(session, 'query($id: ID!) { payment(id: $id) { id } }', { id: payment.id });
    const viaRest = await api('GET', `/api/payments/${payment.id}`, { token: session.accessToken });
    t.equal(viaRest.status === 200, canRead, `${who}: REST read ${canRead ? 'allowed' : 'refused'}`);
    if (canRead) t.equal(viaGql.body.data.payment.id, payment.id, `${who}: GraphQL read allowed`);
    else t.match(viaGql.body, { data: { payment: null }, errors: [{ extensions: { code: viaRest.body.code, status: viaRest.status } }] }, `${who}: GraphQL refuses with REST's ${viaRest.body.code}`);
  }
  for (const [who, session] of [['recipient', bob], ['stranger', mallory]] as const) {
    const viaGql = await gql(session, 'mutation($id: ID!) { cancelPayment(id: $id) { status } }', { id: payment.id });
    const viaRest = await api('POST', `/api/payments/${payment.id}/cancel`, { token: session.accessToken, body: {} });
    t.ok(viaRest.status >= 400 && viaRest.status < 500, `${who}: REST cancel refused (${viaRest.status})`);
    t.match(viaGql.body.errors?.[0]?.extensions, { code: viaRest.body.code, status: viaRest.status }, `${who}: GraphQL cancel refused with ${viaRest.body.code}`);
  }
  t.not((await api('GET', `/api/payments/${payment.id}`, { token: alice.accessToken })).body.status, 'cancelled', 'nobody but the sender or an admin cancelled it');

  // Lists and cursors: the same pages.
  for (let i = 0; i < 3; i++) await gql(alice, CREATE, { input: { ...input, amount: 100 + i }, key: randomUUID() });
  const restPage = await api('GET', '/api/payments?limit=2', { token: alice.accessToken });
  const gqlPage = (await gql(alice, '{ payments(first: 2) { nextCursor items { id } } }')).body.data.payments;
  t.same(gqlPage.items.map((p: { id: string }) => p.id), restPage.body.items.map((p: { id: string }) => p.id), 'first page');
  const restNext = await api('GET', `/api/payments?limit=2&cursor=${encodeURIComponent(restPage.body.nextCursor)}`, { token: alice.accessToken });
  const gqlNext = (await gql(alice, 'query($after: String) { payments(first: 2, after: $after) { items { id } } }', { after: gqlPage.nextCursor })).body.data.payments;
  t.same(gqlNext.items.map((p: { id: string }) => p.id), restNext.body.items.map((p: { id: string }) => p.id), 'second page by cursor');
  const filtered = (await gql(alice, '{ payments(filter: { minAmount: 1000, currency: "EUR" }) { items { amount } } }')).body.data.payments.items;
  t.ok(filtered.length >= 1 && filtered.every((p: { amount: number }) => p.amount >= 1000), 'filters applied');
  const restSchedules = await api('GET', '/api/payments/schedules', { token: alice.accessToken });
  t.same((await gql(alice, '{ schedules { items { id } nextCursor } }')).body.data.schedules, { items: restSchedules.body.items.map((s: { id: string }) => ({ id: s.id })), nextCursor: restSchedules.body.nextCursor });

  // Bad input: the same codes.
  const badRest = await api('GET', '/api/payments?limit=1000', { token: alice.accessToken });
  const badGql = await gql(alice, '{ payments(first: 1000) { nextCursor } }');
  t.ok(badGql.status < 500 && badRest.status < 500);
  t.equal(badGql.body.errors[0].extensions.status, 400, `first: 1000 refused (${badGql.body.errors[0].extensions.code}; REST ${badRest.body.code})`);

  // Revocation: a signed-out session is refused by both at once.
  const session = await newCustomer('gql-revoked');
  t.equal((await api('POST', '/api/auth/signout', { token: session.accessToken, body: {} })).status, 204);
  const revokedGql = await gql(session, '{ me { id } }');
  const revokedRest = await api('GET', '/api/auth/me', { token: session.accessToken });
  t.equal(revokedGql.status, revokedRest.status);
  t.equal(revokedGql.body.errors[0].extensions.code, revokedRest.body.code, `revoked: ${revokedRest.body.code}`);
});

t.test('paymentUpdated over graphql-ws through nginx: a real payment, from creation to completion', async (t) => {
  const alice = await newCustomer('gql-sub-alice');
  const bob = await newCustomer('gql-sub-bob');
  const socket = new WebSocket(`${PLATFORM_URL.replace(/^http/, 'ws')}/graphql`, ['graphql-transport-ws', 'bearer', alice.accessToken], { rejectUnauthorized: false });
  t.teardown(() => socket.terminate());
  const messages: Array<{ type: string; id?: string; payload?: { data?: { paymentUpdated: { type: string; paymentId: string; status: string } } } }> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  t.equal(socket.protocol, 'graphql-transport-ws');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await waitUntil(() => messages.some((m) => m.type === 'connection_ack'));
  socket.send(JSON.stringify({ id: 's1', type: 'subscribe', payload: { query: 'subscription { paymentUpdated { type paymentId status } }' } }));
  await new Promise((r) => setTimeout(r, 300));

  const created = await gql(bob, CREATE, { input: { recipientEmail: alice.email, amount: 4321, currency: 'EUR', type: 'instant' }, key: randomUUID() });
  const paymentId = created.body.data.createPayment.id as string;
  const updates = () => messages.filter((m) => m.type === 'next' && m.payload?.data?.paymentUpdated.paymentId === paymentId).map((m) => m.payload!.data!.paymentUpdated);
  await waitUntil(() => updates().some((u) => u.status === 'completed' || u.status === 'failed'), 20_000);
  t.equal(updates()[0]?.type, 'payment:created', 'the recipient hears of the payment when it is created');
  t.ok(updates().some((u) => u.type === 'payment:completed' || u.type === 'payment:failed'), `and of its outcome (${updates().map((u) => u.type).join(', ')})`);
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
