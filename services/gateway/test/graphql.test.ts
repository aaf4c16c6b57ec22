// /graphql through a real gateway (Redis for revocation and rate limits) over fake upstreams:
// identity forwarding, refusals with the REST codes, Idempotency-Key, limits, batching,
// introspection, the switch and the graphql-ws subscription.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { revokedSessionKey } from '@bank/kit';
import { createEvent } from '@bank/events';
import { graphqlGateway } from './graphql-helper.ts';
import { identity, waitFor } from './ws-helper.ts';

const ME = '{ me { id role email } }';
const CREATE = 'mutation($input: CreatePaymentInput!, $key: String) { createPayment(input: $input, idempotencyKey: $key) { id amount status senderId } }';
const input = (extra: Record<string, unknown> = {}) => ({ recipientId: randomUUID(), amount: 1050, currency: 'EUR', type: 'instant', ...extra });

t.test('me: the verified identity and the token are forwarded like the REST proxy does; client x-user-* dropped', async (t) => {
  const gw = await graphqlGateway(t);
  const user = identity();
  const res = await gw.gql(user.token, ME, undefined, { 'x-user-id': randomUUID(), 'x-user-role': 'ADMIN' });
  t.equal(res.statusCode, 200);
  t.same(res.json().data.me, { id: user.sub, role: 'CUSTOMER', email: 'me@example.com' });
  const call = gw.services.calls.find((c) => c.url === '/auth/me')!;
  t.equal(call.headers['x-user-id'], user.sub, 'forged x-user-id replaced');
  t.equal(call.headers['x-user-role'], 'CUSTOMER', 'forged role replaced');
  t.equal(call.headers['x-session-id'], user.sid);
  t.equal(call.headers.authorization, `Bearer ${user.token}`, 'services verify the token again');
  t.ok(call.headers['x-request-id'], 'request id forwarded');
});

t.test('no token, a bad token and a revoked session: 401 with the REST codes, nothing reaches a service', async (t) => {
  const gw = await graphqlGateway(t);
  const none = await gw.gql(undefined, ME);
  t.equal(none.statusCode, 401);
  t.match(none.json(), { data: null, errors: [{ extensions: { code: 'UNAUTHORIZED', status: 401 } }] });
  const bad = await gw.gql('not-a-token', ME);
  t.equal(bad.statusCode, 401);
  const user = identity();
  await gw.app.redis.set(revokedSessionKey(user.sid), '1', 'EX', 30);
  t.teardown(() => gw.app.redis.del(revokedSessionKey(user.sid)));
  const revoked = await gw.gql(user.token, ME);
  t.equal(revoked.statusCode, 401);
  t.equal(revoked.json().errors[0].extensions.code, 'AUTH_SESSION_REVOKED');
  t.equal(gw.services.calls.length, 1, 'only the feature-flag fetch reached the services');
});

t.test('createPayment: Idempotency-Key required, as the argument or the header; the same key replays', async (t) => {
  const gw = await graphqlGateway(t);
  const user = identity();
  const missing = await gw.gql(user.token, CREATE, { input: input() });
  t.equal(missing.statusCode, 400, 'no data (createPayment is non-null): the status is the refusal\'s, like REST');
  t.match(missing.json().errors[0].extensions, { code: 'PAYMENTS_IDEMPOTENCY_KEY_REQUIRED', status: 400 });
  t.notOk(gw.services.calls.some((c) => c.method === 'POST'), 'refused before any upstream call');

  const key = randomUUID();
  const first = await gw.gql(user.token, CREATE, { input: input(), key });
  t.equal(first.json().data.createPayment.amount, 1050);
  t.equal(first.json().data.createPayment.senderId, user.sub);
  const post = gw.services.calls.find((c) => c.method === 'POST')!;
  t.equal(post.headers['idempotency-key'], key, 'the argument goes out as the Idempotency-Key header');
  t.notOk('idempotencyKey' in (post.body as object), 'not in the REST body');
  const again = await gw.gql(user.token, CREATE, { input: input() }, { 'idempotency-key': key });
  t.equal(again.json().data.createPayment.id, first.json().data.createPayment.id, 'the header works too and replays the same payment');

  const big = await gw.gql(user.token, CREATE, { input: input({ amount: 1.5 }), key: randomUUID() });
  t.equal(big.statusCode, 400, 'a float amount is refused by the MinorUnits scalar');
  t.equal(big.json().errors[0].extensions.code, 'PAYMENTS_INVALID_AMOUNT', "REST's code for a non-integer amount");
});

t.test("another customer's payment: not found (no IDOR), cancelling it refused with the service's code; admin sees it", async (t) => {
  const gw = await graphqlGateway(t);
  const alice = identity();
  const mallory = identity();
  const admin = identity('ADMIN');
  const created = (await gw.gql(alice.token, CREATE, { input: input(), key: randomUUID() })).json().data.createPayment;
  const read = (who: { token: string }) => gw.gql(who.token, 'query($id: ID!) { payment(id: $id) { id transactions { toStatus } } }', { id: created.id });

  const stolen = await read(mallory);
  t.same(stolen.json().data, { payment: null });
  t.match(stolen.json().errors[0], { path: ['payment'], extensions: { code: 'PAYMENTS_NOT_FOUND', status: 404 } });
  const cancel = await gw.gql(mallory.token, 'mutation($id: ID!) { cancelPayment(id: $id) { status } }', { id: created.id });
  t.equal(cancel.json().errors[0].extensions.code, 'PAYMENTS_NOT_FOUND');
  t.equal(gw.services.payments.get(created.id)!.status, 'pending', 'still pending');
  t.same((await gw.gql(mallory.token, '{ payments { items { id } } }')).json().data.payments.items, [], "mallory's list is empty");

  t.equal((await read(alice)).json().data.payment.transactions[0].toStatus, 'pending');
  t.equal((await read(admin)).json().data.payment.id, created.id, 'an admin reads every payment');
  const cancelled = await gw.gql(admin.token, 'mutation($id: ID!) { cancelPayment(id: $id) { status } }', { id: created.id });
  t.equal(cancelled.json().data.cancelPayment.status, 'cancelled');
});

t.test('payments: filters and cursor become the REST query; Payment.schedule is batched (one call per schedule)', async (t) => {
  const gw = await graphqlGateway(t);
  const user = identity();
  for (let i = 0; i < 3; i++) await gw.gql(user.token, CREATE, { input: input({ description: 'from-schedule' }), key: randomUUID() });
  const res = await gw.gql(user.token, '{ payments(filter: { status: pending, currency: "EUR", minAmount: 1000 }, first: 10, after: "abc") { nextCursor items { id schedule { id frequency } } } }');
  t.equal(res.statusCode, 200, JSON.stringify(res.json().errors));
  const page = res.json().data.payments;
  t.equal(page.items.length, 3);
  t.equal(page.nextCursor, 'next-page');
  t.ok(page.items.every((p: { schedule: { frequency: string } }) => p.schedule.frequency === 'monthly'));
  const list = gw.services.calls.find((c) => c.url.startsWith('/payments?'))!;
  t.same(Object.fromEntries(new URL(list.url, 'http://x').searchParams), { status: 'pending', currency: 'EUR', minAmount: '1000', limit: '10', cursor: 'abc' });
  t.equal(gw.services.calls.filter((c) => c.url.startsWith('/payments/schedules/')).length, 1, 'three payments of one schedule: one upstream call');
});

t.test('limits: depth, complexity (alias bomb, huge pages), document size, malformed JSON — 4xx with stable codes', async (t) => {
  const gw = await graphqlGateway(t, { GRAPHQL_MAX_DEPTH: '4', GRAPHQL_MAX_COMPLEXITY: '200', GRAPHQL_MAX_QUERY_BYTES: '8192' });
  const user = identity();
  const deep = await gw.gql(user.token, '{ payments { items { schedule { upcoming { index } } } } }');
  t.equal(deep.statusCode, 400);
  t.equal(deep.json().errors[0].extensions.code, 'GRAPHQL_TOO_DEEP');
  const aliases = `{ ${Array.from({ length: 120 }, (_, i) => `a${i}: me { id email }`).join(' ')} }`;
  const bomb = await gw.gql(user.token, aliases);
  t.equal(bomb.statusCode, 400);
  t.match(bomb.json().errors[0].extensions, { code: 'GRAPHQL_TOO_COMPLEX', status: 400, maximumComplexity: 200 });
  const pages = await gw.gql(user.token, 'query($n: Int) { payments(first: $n) { items { id amount currency status } } }', { n: 100 });
  t.equal(pages.json().errors[0].extensions.code, 'GRAPHQL_TOO_COMPLEX', 'the cost follows the variables');
  const huge = await gw.gql(user.token, `{ me { id } } # ${'x'.repeat(9000)}`);
  t.equal(huge.statusCode, 413);
  t.equal(huge.json().errors[0].extensions.code, 'GRAPHQL_QUERY_TOO_LARGE');
  const malformed = await gw.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' }, payload: '{"query": ' });
  t.equal(malformed.statusCode, 400);
  t.equal(malformed.json().errors[0].extensions.code, 'INVALID_JSON');
  const syntax = await gw.gql(user.token, '{ me { id ');
  t.equal(syntax.statusCode, 400);
  t.equal(syntax.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  t.notOk(gw.services.calls.some((c) => c.url === '/auth/me'), 'nothing refused reached a service');
});

t.test('found by the hostile-input suite: cyclic fragments, JSON as a document, GET mutations, subscriptions over HTTP — 4xx, never 500', async (t) => {
  const gw = await graphqlGateway(t);
  const user = identity();
  const cyclic = await gw.gql(user.token, 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
  t.equal(cyclic.statusCode, 400);
  t.match(cyclic.json().errors[0], { message: /within itself/, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  for (const source of ['null', '[]', '{}', '"{ me { id } }"']) {
    const res = await gw.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/graphql' }, payload: source });
    t.equal(res.statusCode, 400, `${source} as a document`);
    t.equal(res.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  }
  const getMutation = await gw.app.inject({ url: `/graphql?query=${encodeURIComponent('mutation { cancelPayment(id: "x") { id } }')}`, headers: { authorization: `Bearer ${user.token}` } });
  t.equal(getMutation.statusCode, 405);
  t.equal(getMutation.json().errors[0].extensions.code, 'METHOD_NOT_ALLOWED');
  const overHttp = await gw.gql(user.token, 'subscription { paymentUpdated { paymentId } }');
  t.equal(overHttp.statusCode, 400);
  t.equal(overHttp.json().errors[0].extensions.code, 'GRAPHQL_SUBSCRIPTION_OVER_HTTP');
  const fanOut = await gw.gql(user.token, `{ ${Array.from({ length: 120 }, (_, i) => `p${i}: payments(first: 1) { nextCursor }`).join(' ')} }`);
  t.equal(fanOut.json().errors[0].extensions.code, 'GRAPHQL_TOO_COMPLEX', 'every root field is an upstream call: 120 of them are refused');
  t.notOk(gw.services.calls.some((c) => c.url.startsWith('/payments')), 'no upstream call was made');
});

t.test('rate limit: /graphql shares the per-user budget of /api; 429 RATE_LIMITED', async (t) => {
  const gw = await graphqlGateway(t, { RATE_LIMIT_MAX: '2' });
  const user = identity();
  t.equal((await gw.gql(user.token, ME)).statusCode, 200);
  t.equal((await gw.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${user.token}` } })).statusCode, 200);
  const limited = await gw.gql(user.token, ME);
  t.equal(limited.statusCode, 429);
  t.match(limited.json().errors[0].extensions, { code: 'RATE_LIMITED', status: 429 });
  t.ok(limited.headers['retry-after']);
});

t.test('introspection and GraphiQL outside production only', async (t) => {
  const dev = await graphqlGateway(t);
  const user = identity();
  t.equal((await dev.gql(user.token, '{ __schema { queryType { name } } }')).json().data.__schema.queryType.name, 'Query');
  t.equal((await dev.app.inject({ url: '/graphiql' })).statusCode, 200);
  const prod = await graphqlGateway(t, { NODE_ENV: 'production' });
  const refused = await prod.gql(user.token, '{ __schema { queryType { name } } }');
  t.equal(refused.statusCode, 400);
  t.equal(refused.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  t.match(refused.json().errors[0].message, /introspection/i);
  t.equal((await prod.app.inject({ url: '/graphiql' })).statusCode, 404);
  t.equal((await prod.gql(user.token, ME)).statusCode, 200, 'queries still work');
});

t.test('the switch: GRAPHQL_ENABLED default, features.graphql overrides it live on admin.config.updated', async (t) => {
  const off = await graphqlGateway(t, { GRAPHQL_ENABLED: 'false' });
  const user = identity();
  const refused = await off.gql(user.token, ME);
  t.equal(refused.statusCode, 404);
  t.equal(refused.json().errors[0].extensions.code, 'GRAPHQL_DISABLED');

  const gw = await graphqlGateway(t, {}, { graphqlFlag: { value: true, version: 1 } });
  await waitFor(async () => (await gw.gql(user.token, ME)).statusCode === 200, 'the switch fetched from admin', 2000);
  gw.services.flag.value = false;
  gw.services.flag.version = 2;
  const changedAt = Date.now();
  gw.app.ws.dispatch(createEvent({ type: 'admin.config.updated', source: 'admin', data: { key: 'features.graphql', version: 2, updatedBy: randomUUID(), userId: randomUUID() } }));
  await waitFor(async () => (await gw.gql(user.token, ME)).statusCode === 404, 'switched off', 1000);
  t.ok(Date.now() - changedAt < 1000, 'applied within a second');
  gw.services.flag.value = null;
  gw.services.flag.version = 3;
  gw.app.ws.dispatch(createEvent({ type: 'admin.config.updated', source: 'admin', data: { key: 'features.graphql', version: 3, updatedBy: randomUUID(), userId: randomUUID() } }));
  await waitFor(async () => (await gw.gql(user.token, ME)).statusCode === 200, 'back to the env default', 1000);
  t.pass('null falls back to GRAPHQL_ENABLED (true)');
});
