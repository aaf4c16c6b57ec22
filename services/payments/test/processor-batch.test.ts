// The processor's batches: due steps claimed N per transaction with SKIP LOCKED, and two workers
// on their own connection pools (two replicas) never taking the same step.
import t from 'tap';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_FAIL_RULE } from '../src/domain/outcome.ts';
import type { PaymentsContext } from '../src/context.ts';
import { takeDueSteps } from '../src/processor/worker.ts';
import { buildPayments, pay, registerUser } from './helper.ts';

/** A worker's context on its own pool, like another replica: the given step delay, the default rule. */
function replica(t: { teardown(fn: () => unknown): void }, app: FastifyInstance & { testRun: { dbUrl: string } }, stepDelayMs = 0): PaymentsContext {
  const client = postgres(app.testRun.dbUrl, { max: 4, onnotice: () => {} });
  t.teardown(() => client.end());
  return {
    db: drizzle(client),
    config: { PROCESSOR_LIMIT_MAJOR_UNITS: 1_000_000 },
    settings: { stepDelayMs: () => stepDelayMs, get: () => DEFAULT_FAIL_RULE },
  } as unknown as PaymentsContext;
}

/**
 * Payments whose first step is due now. This app's processor is off (PROCESSOR_ENABLED=false: it
 * neither consumes the created events nor polls), so the test sets what acceptance would set.
 */
async function duePayments(app: Awaited<ReturnType<typeof buildPayments>>, count: number) {
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await pay(app, alice, bob, { amount: 1000 + i * 100 })).id);
  await app.db.execute(sql`update payments set next_step_at = now() - interval '1 second'`);
  return ids;
}

t.test('one transaction takes up to the batch size of due steps, with their history and events', async (t) => {
  // The service's own poller is off: the test drives the worker.
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  await duePayments(app, 7);
  const worker = replica(t, app, 600_000);

  const first = await takeDueSteps(worker, 5);
  t.equal(first.length, 5, 'the batch size bounds one claim');
  t.ok(first.every((s) => s.payment.status === 'processing'));
  const second = await takeDueSteps(worker, 5);
  t.equal(second.length, 2, 'the rest');
  t.same(await takeDueSteps(worker, 5), [], 'nothing is due while the next step is in the future');

  const [moved] = await app.db.execute(sql`select count(*)::int as n from payment_transactions where to_status = 'processing'`);
  t.equal(Number(moved!.n), 7, 'one history row per step');
  const [events] = await app.db.execute(sql`select count(*)::int as n from outbox where event_type = 'payments.payment.updated'`);
  t.equal(Number(events!.n), 7, 'one outbox event per step');
});

t.test('a batch mixes first and second steps and decides outcomes per payment', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  const ids = await duePayments(app, 2);
  const worker = replica(t, app);
  const [a] = await takeDueSteps(worker, 1); // one payment moves on to processing (due again at once)
  const b = ids.find((id) => id !== a!.payment.id)!;
  await app.db.execute(sql`update payments set amount = 10013 where id = ${b}`); // the pending one will fail later
  const mixed = await takeDueSteps(worker, 10);
  t.same(Object.fromEntries(mixed.map((s) => [s.payment.id, s.payment.status])), { [a!.payment.id]: 'completed', [b]: 'processing' }, 'one batch, both kinds of step');
  const [final] = await takeDueSteps(worker, 10);
  t.match(final, { payment: { id: b, status: 'failed' }, failureCode: 'declined_amount' }, 'amount ending in 13 → failed');
});

t.test('two workers on their own pools never take the same step', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  const count = 40;
  const ids = await duePayments(app, count);
  const workers = [replica(t, app), replica(t, app)];
  const taken = [0, 0];
  // Each worker drains until nothing is due; with no step delay a payment's second step is due
  // as soon as its first commits, so both workers keep finding (and racing for) rows.
  await Promise.all(
    workers.map(async (worker, i) => {
      for (let idle = 0; idle < 3; ) {
        const steps = await takeDueSteps(worker, 3);
        taken[i]! += steps.length;
        idle = steps.length === 0 ? idle + 1 : 0;
        if (steps.length === 0) await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
  t.equal(taken[0]! + taken[1]!, count * 2, 'every payment took exactly two steps in total');
  const history = await app.db.execute(sql`
    select payment_id, string_agg(to_status, ',' order by created_at, to_status) as path from payment_transactions group by payment_id`);
  t.equal(history.length, count);
  // (created_at has millisecond precision: two steps in the same millisecond sort by name.)
  t.ok(history.every((h) => String(h.path).split(',').sort().join(',') === 'completed,pending,processing'), 'each payment: pending, processing, completed, once each');
  const events = await app.db.execute(sql`select aggregate_id, event_type, count(*)::int as n from outbox group by 1, 2`);
  const perPayment = events.filter((e) => ids.includes(String(e.aggregate_id)));
  t.equal(perPayment.length, count * 3, 'created, updated and completed for every payment');
  t.ok(perPayment.every((e) => Number(e.n) === 1), 'no event twice');
});
