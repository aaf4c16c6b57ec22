// Idempotency-Key: replay, reuse with another body, concurrent duplicates, per-sender scope.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { buildPayments, registerUser } from './helper.ts';

t.test('Idempotency-Key semantics', async (t) => {
  const app = await buildPayments(t);
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const body = { recipientId: bob.id, amount: 2500, currency: 'EUR', type: 'instant', description: 'Rent' };
  const post = (key: string, payload: object, user = alice) =>
    app.inject({ method: 'POST', url: '/payments', headers: { ...user.headers, 'idempotency-key': key }, payload });
  const countPayments = async () => Number((await app.db.execute(sql`select count(*)::int as n from payments`))[0]!.n);

  t.test('same key + same body → the original status and body, no second payment', async (t) => {
    const key = randomUUID();
    const first = await post(key, body);
    t.equal(first.statusCode, 201);
    const before = await countPayments();
    // same content, different key order: still the same request
    const replay = await post(key, { description: 'Rent', type: 'instant', currency: 'EUR', amount: 2500, recipientId: bob.id });
    t.equal(replay.statusCode, 201);
    t.same(replay.json(), first.json(), 'byte-identical body');
    t.equal(replay.headers['idempotent-replayed'], 'true');
    t.equal(await countPayments(), before, 'no new payment');
    // even after the payment changed state, the replay is the original response
    await app.inject({ method: 'POST', url: `/payments/${first.json().id}/cancel`, headers: alice.headers });
    const late = await post(key, body);
    t.equal(late.json().status, 'pending');
  });

  t.test('same key + different body → 422 PAYMENTS_IDEMPOTENCY_KEY_REUSED', async (t) => {
    const key = randomUUID();
    t.equal((await post(key, body)).statusCode, 201);
    const before = await countPayments();
    const reused = await post(key, { ...body, amount: 2501 });
    t.equal(reused.statusCode, 422);
    t.equal(reused.json().code, 'PAYMENTS_IDEMPOTENCY_KEY_REUSED');
    t.equal(await countPayments(), before);
  });

  t.test('the key is scoped to its sender: another user may use the same key', async (t) => {
    const key = randomUUID();
    t.equal((await post(key, body)).statusCode, 201);
    const other = await post(key, { ...body, recipientId: alice.id }, bob);
    t.equal(other.statusCode, 201);
    t.not(other.json().id, (await post(key, body)).json().id);
  });

  t.test('a rejected request does not burn the key: fix it and retry with the same key', async (t) => {
    const key = randomUUID();
    const bad = await post(key, { ...body, recipientEmail: 'nobody@example.test', recipientId: undefined });
    t.equal(bad.statusCode, 422);
    t.equal((await post(key, body)).statusCode, 201);
  });

  t.test('10 concurrent duplicates → exactly one payment, all get the same 201 body', async (t) => {
    const key = randomUUID();
    const before = await countPayments();
    const responses = await Promise.all(Array.from({ length: 10 }, () => post(key, { ...body, amount: 777 })));
    t.same(responses.map((r) => r.statusCode), Array(10).fill(201), responses.map((r) => r.body.slice(0, 80)).join('\n'));
    t.equal(new Set(responses.map((r) => r.json().id)).size, 1, 'one payment id');
    t.equal(await countPayments(), before + 1, 'exactly one payment row');
    const rows = await app.db.execute(sql`select count(*)::int as n from payments where amount = 777`);
    t.equal(rows[0]!.n, 1);
    t.equal(responses.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 9);
    const events = await app.db.execute(sql`select count(*)::int as n from outbox where event_type = 'payments.payment.created' and payload->'data'->>'amount' = '777'`);
    t.equal(events[0]!.n, 1, 'exactly one created event');
  });

  t.test('10 concurrent duplicates with different bodies → one 201, the rest 422', async (t) => {
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => post(key, { ...body, amount: 1000 + i })));
    const codes = responses.map((r) => r.statusCode).sort();
    t.same(codes, [201, ...Array(9).fill(422)]);
  });
});
