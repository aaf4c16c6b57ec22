// Create / list / get / cancel through app.inject against the real infrastructure.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildPayments, idem, pay, publishAuthEvent, registerUser, waitFor } from './helper.ts';
import { createEvent } from '@bank/events';
import { findUserById } from '../src/repositories/users.ts';

t.test('payments API', async (t) => {
  const app = await buildPayments(t);
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');

  t.test('create by recipientId: 201 pending payment, creation transaction, created event in the outbox', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/payments',
      headers: { ...alice.headers, ...idem() },
      payload: { recipientId: bob.id, amount: 1050, currency: 'EUR', type: 'instant', description: 'Lunch' },
    });
    t.equal(res.statusCode, 201, res.body);
    const payment = res.json();
    t.match(payment, { senderId: alice.id, recipientId: bob.id, recipientEmail: bob.email, amount: 1050, currency: 'EUR', type: 'instant', description: 'Lunch', status: 'pending', failureReason: null });
    t.equal(res.headers['cache-control'], 'no-store');
    const [row] = await app.db.execute(sql`select amount, pg_typeof(amount)::text as t from payments where id = ${payment.id}`);
    t.match(row, { t: 'bigint' }, 'stored as bigint minor units');
    const outbox = await app.db.execute(sql`select event_type, payload from outbox where aggregate_id = ${payment.id}`);
    t.equal(outbox.length, 1);
    t.match(outbox[0], { event_type: 'payments.payment.created', payload: { source: 'payments', data: { paymentId: payment.id, userId: alice.id, amount: 1050, status: 'pending' } } });
    const got = await app.inject({ url: `/payments/${payment.id}`, headers: alice.headers });
    t.equal(got.statusCode, 200);
    t.match(got.json().transactions, [{ fromStatus: null, toStatus: 'pending', reason: 'created' }]);
  });

  t.test('create by recipientEmail (case-insensitive), other types', async (t) => {
    const res = await app.inject({
      method: 'POST',
      url: '/payments/',
      headers: { ...alice.headers, ...idem() },
      payload: { recipientEmail: bob.email.toUpperCase(), amount: 1, currency: 'JPY', type: 'scheduled' },
    });
    t.equal(res.statusCode, 201, res.body);
    t.match(res.json(), { recipientId: bob.id, currency: 'JPY', type: 'scheduled', description: null });
  });

  t.test('recipient problems are 422 with stable codes', async (t) => {
    const cases: Array<[object, string]> = [
      [{ recipientId: '0191a1b2-0000-7000-8000-000000000999' }, 'PAYMENTS_RECIPIENT_NOT_FOUND'],
      [{ recipientEmail: 'nobody@example.test' }, 'PAYMENTS_RECIPIENT_NOT_FOUND'],
      [{ recipientId: alice.id }, 'PAYMENTS_SELF_PAYMENT'],
      [{ recipientEmail: alice.email }, 'PAYMENTS_SELF_PAYMENT'],
    ];
    for (const [recipient, code] of cases) {
      const res = await app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, ...idem() }, payload: { ...recipient, amount: 100, currency: 'EUR', type: 'instant' } });
      t.equal(res.statusCode, 422, code);
      t.match(res.json(), { code, status: 422, requestId: String });
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  });

  t.test('disabled recipient (auth.user.disabled) → 422; disabled sender → 403', async (t) => {
    const carol = await registerUser(app, 'CUSTOMER', 'carol');
    await publishAuthEvent(app, createEvent({ type: 'auth.user.disabled', source: 'auth', data: { userId: carol.id } }));
    await waitFor(async () => (await findUserById(app.db, carol.id))?.status === 'disabled', 'carol disabled');
    const res = await app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, ...idem() }, payload: { recipientId: carol.id, amount: 100, currency: 'EUR', type: 'instant' } });
    t.equal(res.statusCode, 422);
    t.equal(res.json().code, 'PAYMENTS_RECIPIENT_DISABLED');
    const fromCarol = await app.inject({ method: 'POST', url: '/payments', headers: { ...carol.headers, ...idem() }, payload: { recipientId: bob.id, amount: 100, currency: 'EUR', type: 'instant' } });
    t.equal(fromCarol.statusCode, 403);
    t.equal(fromCarol.json().code, 'PAYMENTS_SENDER_DISABLED');
    // auth.user.updated re-enables (and a late, older event changes nothing)
    await publishAuthEvent(app, createEvent({ type: 'auth.user.updated', source: 'auth', data: { userId: carol.id, email: carol.email, name: 'Carol', role: 'CUSTOMER', status: 'active' } }));
    await waitFor(async () => (await findUserById(app.db, carol.id))?.status === 'active', 'carol active again');
    await publishAuthEvent(app, createEvent({ type: 'auth.user.registered', source: 'auth', occurredAt: new Date(Date.now() - 3_600_000), data: { userId: carol.id, email: carol.email, name: 'Old name', role: 'CUSTOMER' } }));
    await publishAuthEvent(app, createEvent({ type: 'auth.user.updated', source: 'auth', data: { userId: carol.id, email: carol.email, name: 'Carol V', role: 'VENDOR', status: 'active' } }));
    const updated = await waitFor(async () => {
      const u = await findUserById(app.db, carol.id);
      return u?.name === 'Carol V' ? u : undefined;
    }, 'carol renamed');
    t.equal(updated.role, 'VENDOR', 'the older registered event did not overwrite the newer update');
  });

  t.test('bad inputs → 400/422 problem bodies, never 5xx', async (t) => {
    const base = { recipientId: bob.id, amount: 100, currency: 'EUR', type: 'instant' };
    const cases: Array<[string, object | string, number, string]> = [
      ['float amount', { ...base, amount: 10.5 }, 400, 'VALIDATION_FAILED'],
      ['zero amount', { ...base, amount: 0 }, 400, 'VALIDATION_FAILED'],
      ['negative amount', { ...base, amount: -100 }, 400, 'VALIDATION_FAILED'],
      ['too large amount', { ...base, amount: 1e12 + 1 }, 400, 'VALIDATION_FAILED'],
      ['string amount', { ...base, amount: '100' }, 400, 'PAYMENTS_INVALID_AMOUNT'],
      ['boolean amount', { ...base, amount: true }, 400, 'PAYMENTS_INVALID_AMOUNT'],
      ['missing amount', { recipientId: bob.id, currency: 'EUR', type: 'instant' }, 400, 'VALIDATION_FAILED'],
      ['lower-case currency', { ...base, currency: 'eur' }, 400, 'VALIDATION_FAILED'],
      ['unknown currency', { ...base, currency: 'ABC' }, 422, 'PAYMENTS_UNSUPPORTED_CURRENCY'],
      ['bad type', { ...base, type: 'weekly' }, 400, 'VALIDATION_FAILED'],
      ['no recipient', { amount: 100, currency: 'EUR', type: 'instant' }, 400, 'PAYMENTS_RECIPIENT_REQUIRED'],
      ['both recipients', { ...base, recipientEmail: bob.email }, 400, 'PAYMENTS_RECIPIENT_REQUIRED'],
      ['bad recipient id', { ...base, recipientId: 'not-a-uuid' }, 400, 'VALIDATION_FAILED'],
      ['bad email', { amount: 100, currency: 'EUR', type: 'instant', recipientEmail: 'nope' }, 400, 'VALIDATION_FAILED'],
      ['extra field', { ...base, senderId: bob.id }, 400, 'VALIDATION_FAILED'],
      ['control chars', { ...base, description: 'a\u0001b' }, 400, 'VALIDATION_FAILED'],
      ['NUL (kit: never stored)', { ...base, description: 'a\u0000b' }, 400, 'INVALID_TEXT'],
      ['one-element array for a string', { ...base, currency: ['EUR'] }, 400, 'VALIDATION_FAILED'],
      ['long description', { ...base, description: 'x'.repeat(281) }, 400, 'VALIDATION_FAILED'],
      ['not JSON', '{"amount":', 400, 'INVALID_JSON'],
    ];
    for (const [name, payload, status, code] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/payments',
        headers: { ...alice.headers, ...idem(), 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      t.equal(res.statusCode, status, `${name}: ${res.body.slice(0, 200)}`);
      t.equal(res.json().code, code, name);
    }
    const noKey = await app.inject({ method: 'POST', url: '/payments', headers: alice.headers, payload: base });
    t.equal(noKey.statusCode, 400);
    t.equal(noKey.json().code, 'PAYMENTS_IDEMPOTENCY_KEY_REQUIRED');
    const badKey = await app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, 'idempotency-key': 'short' }, payload: base });
    t.equal(badKey.statusCode, 400);
    t.equal(badKey.json().code, 'VALIDATION_FAILED');
    const text = await app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, ...idem(), 'content-type': 'application/xml' }, payload: '<a/>' });
    t.equal(text.statusCode, 415);
    t.equal(text.json().code, 'UNSUPPORTED_MEDIA_TYPE');
    const badId = await app.inject({ url: '/payments/not-a-uuid', headers: alice.headers });
    t.equal(badId.statusCode, 400);
    const missing = await app.inject({ url: '/payments/0191a1b2-0000-7000-8000-000000000999', headers: alice.headers });
    t.equal(missing.statusCode, 404);
    t.equal(missing.json().code, 'PAYMENTS_NOT_FOUND');
    const badCancel = await app.inject({ method: 'POST', url: '/payments/0191a1b2-0000-7000-8000-000000000999/cancel', headers: alice.headers });
    t.equal(badCancel.statusCode, 404);
  });

  t.test('cancel: pending → cancelled with a transaction row and event; again → 409', async (t) => {
    const payment = await pay(app, alice, bob);
    const res = await app.inject({ method: 'POST', url: `/payments/${payment.id}/cancel`, headers: alice.headers });
    t.equal(res.statusCode, 200, res.body);
    t.match(res.json(), { id: payment.id, status: 'cancelled' });
    const again = await app.inject({ method: 'POST', url: `/payments/${payment.id}/cancel`, headers: alice.headers });
    t.equal(again.statusCode, 409);
    t.match(again.json(), { code: 'PAYMENTS_ILLEGAL_TRANSITION', from: 'cancelled', to: 'cancelled' });
    const got = (await app.inject({ url: `/payments/${payment.id}`, headers: alice.headers })).json();
    t.match(got.transactions, [{ toStatus: 'pending' }, { fromStatus: 'pending', toStatus: 'cancelled', reason: 'cancelled by the sender' }]);
    const events = await app.db.execute(sql`select event_type from outbox where aggregate_id = ${payment.id} order by id`);
    t.same(events.map((e) => e.event_type), ['payments.payment.created', 'payments.payment.cancelled']);
  });

  t.test('list: filters and cursor pagination', async (t) => {
    const dave = await registerUser(app, 'CUSTOMER', 'dave');
    const erin = await registerUser(app, 'CUSTOMER', 'erin');
    const made = [];
    for (const [amount, currency] of [[100, 'EUR'], [200, 'EUR'], [300, 'USD'], [400, 'EUR'], [500, 'GBP']] as const) {
      made.push(await pay(app, dave, erin, { amount, currency }));
    }
    await app.inject({ method: 'POST', url: `/payments/${made[0]!.id}/cancel`, headers: dave.headers });
    const list = async (qs: string, user = dave) => {
      const res = await app.inject({ url: `/payments?${qs}`, headers: user.headers });
      t.equal(res.statusCode, 200, `${qs}: ${res.body.slice(0, 200)}`);
      return res.json() as { items: Array<{ id: string; amount: number; currency: string; status: string }>; nextCursor: string | null };
    };
    const all = await list('');
    t.same(all.items.map((p) => p.amount), [500, 400, 300, 200, 100], 'newest first');
    t.equal(all.nextCursor, null);
    t.same((await list('', erin)).items.length, 5, 'the recipient sees them too');
    t.same((await list('currency=EUR')).items.map((p) => p.amount), [400, 200, 100]);
    t.same((await list('status=cancelled')).items.map((p) => p.amount), [100]);
    t.same((await list('status=pending&minAmount=200&maxAmount=400')).items.map((p) => p.amount), [400, 300, 200]);
    const createdAt = (await app.db.execute(sql`select created_at from payments where id = ${made[2]!.id}`))[0]!.created_at as Date;
    t.same((await list(`from=${encodeURIComponent(new Date(createdAt).toISOString())}`)).items.map((p) => p.amount), [500, 400, 300], 'from is inclusive');
    t.same((await list(`to=${encodeURIComponent(new Date(createdAt).toISOString())}`)).items.map((p) => p.amount), [200, 100], 'to is exclusive');
    // pagination: 2 + 2 + 1, no duplicates, no gaps
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...page.items.map((p) => p.amount));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    t.equal(pages, 3);
    t.same(seen, [500, 400, 300, 200, 100]);

    for (const [qs, code] of [
      ['limit=0', 'VALIDATION_FAILED'],
      ['limit=101', 'VALIDATION_FAILED'],
      ['status=lost', 'VALIDATION_FAILED'],
      ['minAmount=1.5', 'VALIDATION_FAILED'],
      ['from=yesterday', 'VALIDATION_FAILED'],
      ['currency=eur', 'VALIDATION_FAILED'],
      ['unknown=1', 'VALIDATION_FAILED'],
      ['cursor=%%%', 'INVALID_CURSOR'],
      ['cursor=bm9wZQ', 'INVALID_CURSOR'],
      ['minAmount=500&maxAmount=100', 'PAYMENTS_INVALID_FILTER'],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'PAYMENTS_INVALID_FILTER'],
    ]) {
      const res = await app.inject({ url: `/payments?${qs}`, headers: dave.headers });
      t.equal(res.statusCode, 400, `${qs}: ${res.body.slice(0, 200)}`);
      t.equal(res.json().code, code, String(qs));
    }
  });
});
