// The simulated processor end to end: created event → inbox → scheduled steps → outcome.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { prom } from '@bank/kit';
import { buildPayments, pay, registerUser, waitFor, type TestUser } from './helper.ts';

const statusChanges = async (status: string) =>
  ((await prom.register.getSingleMetric('payments_status_changes_total')?.get())?.values ?? []).filter((v) => v.labels.status === status).reduce((s, v) => s + v.value, 0);
const failedCount = async (reason: string) =>
  ((await prom.register.getSingleMetric('payments_failed_total')?.get())?.values ?? []).filter((v) => v.labels.reason === reason).reduce((s, v) => s + v.value, 0);

t.test('processor drives payments to their deterministic outcomes', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_STEP_DELAY_MS: '50' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const statusOf = async (user: TestUser, id: string) => (await app.inject({ url: `/payments/${id}`, headers: user.headers })).json();
  const settled = (user: TestUser, id: string) =>
    waitFor(async () => {
      const p = await statusOf(user, id);
      return ['completed', 'failed', 'cancelled'].includes(p.status) ? p : undefined;
    }, `payment ${id} settled`, 15_000);

  t.test('ordinary payment → processing → completed, with events', async (t) => {
    const [processingBefore, completedBefore] = [await statusChanges('processing'), await statusChanges('completed')];
    const payment = await pay(app, alice, bob, { amount: 4200 });
    const done = await settled(alice, payment.id);
    t.equal(done.status, 'completed');
    t.ok(await statusChanges('processing') > processingBefore && await statusChanges('completed') > completedBefore, 'payments_status_changes_total counts processing and completed');
    t.equal(done.failureReason, null);
    t.same(done.transactions.map((x: { toStatus: string }) => x.toStatus), ['pending', 'processing', 'completed']);
    t.equal(done.transactions[2].fromStatus, 'processing');
    const events = await app.db.execute(sql`select event_type from outbox where aggregate_id = ${payment.id} order by id`);
    t.same(events.map((e) => e.event_type), ['payments.payment.created', 'payments.payment.updated', 'payments.payment.completed']);
    t.same((await statusOf(bob, payment.id)).status, 'completed', 'the recipient sees it too');
  });

  t.test('"FAIL" in the description → failed with a reason', async (t) => {
    const before = await failedCount('declined');
    const payment = await pay(app, alice, bob, { description: 'please Fail this one' });
    const done = await settled(alice, payment.id);
    t.equal(done.status, 'failed');
    t.match(done.failureReason, /declined by processor/);
    t.equal(done.transactions.at(-1).reason, done.failureReason);
    t.equal(await failedCount('declined'), before + 1, 'payments_failed_total{reason="declined"}');
    const [event] = await app.db.execute(sql`select payload from outbox where aggregate_id = ${payment.id} and event_type = 'payments.payment.failed'`);
    t.match(event, { payload: { data: { status: 'failed', failureReason: done.failureReason } } });
  });

  t.test('amount ending in 13 → failed; above the limit → failed "limit exceeded"', async (t) => {
    const thirteen = await pay(app, alice, bob, { amount: 10_013 });
    const big = await pay(app, alice, bob, { amount: 100_000_001 });
    t.match(await settled(alice, thirteen.id), { status: 'failed', failureReason: /amount ends in 13/ });
    t.match(await settled(alice, big.id), { status: 'failed', failureReason: 'limit exceeded' });
  });

  t.test('a payment cancelled while pending is never processed', async (t) => {
    const slow = await buildPayments(t, { PROCESSOR_STEP_DELAY_MS: '400' });
    const a = await registerUser(slow, 'CUSTOMER', 'a');
    const b = await registerUser(slow, 'CUSTOMER', 'b');
    const payment = await pay(slow, a, b);
    const cancelledBefore = await statusChanges('cancelled');
    const cancelled = await slow.inject({ method: 'POST', url: `/payments/${payment.id}/cancel`, headers: a.headers });
    t.equal(cancelled.statusCode, 200);
    t.equal(await statusChanges('cancelled'), cancelledBefore + 1, 'payments_status_changes_total{status="cancelled"}');
    // let the created event arrive and any step become due, then drain the worker
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await slow.processor?.runOnce();
    const detail = (await slow.inject({ url: `/payments/${payment.id}`, headers: a.headers })).json();
    t.equal(detail.status, 'cancelled');
    t.same(detail.transactions.map((x: { toStatus: string }) => x.toStatus), ['pending', 'cancelled']);
    const inbox = await slow.db.execute(sql`select count(*)::int as n from inbox`);
    t.ok(Number(inbox[0]!.n) >= 3, 'the created event was consumed (and ignored) like the user events');
  });

  t.test('cancelling once processing started → 409 illegal transition', async (t) => {
    const payment = await pay(app, alice, bob);
    await waitFor(async () => (await statusOf(alice, payment.id)).status !== 'pending', 'leaves pending');
    const res = await app.inject({ method: 'POST', url: `/payments/${payment.id}/cancel`, headers: alice.headers });
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'PAYMENTS_ILLEGAL_TRANSITION');
  });

  t.test('the schedule survives a restart: a due step left in the database is taken later', async (t) => {
    const payment = await pay(app, alice, bob, { amount: 5000 });
    await settled(alice, payment.id);
    // simulate a crash after pending → processing: put a processing row with a past due time back
    await app.db.execute(sql`update payments set status = 'processing', next_step_at = now() - interval '1 second' where id = ${payment.id}`);
    // The service's own poller runs too (every 20 ms here) and may take the step first: wait for
    // the outcome rather than racing it with a single runOnce().
    const row = await waitFor(async () => {
      await app.processor?.runOnce();
      const [current] = await app.db.execute(sql`select status, next_step_at from payments where id = ${payment.id}`);
      return current?.status === 'completed' ? current : undefined;
    }, 'the due step to be taken', 10_000);
    t.equal(row.status, 'completed');
    t.equal(row.next_step_at, null);
  });
});
