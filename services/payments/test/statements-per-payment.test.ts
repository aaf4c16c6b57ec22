// What a payment costs PostgreSQL, counted: every statement a create and a processor batch send
// (postgres.js `debug` sees each one, BEGIN and COMMIT included). Each statement costs the
// service a socket write and a round trip, and the database a parse/execute; the platform
// benchmark's CPU per payment follows the count (docs/benchmarks/platform.md).
import t from 'tap';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { AnyEventEnvelope } from '@bank/events';
import * as schema from '../src/db/schema.ts';
import type { PaymentsContext } from '../src/context.ts';
import { DEFAULT_FAIL_RULE } from '../src/domain/outcome.ts';
import { acceptCreatedPayment } from '../src/processor/accept.ts';
import { takeDueSteps } from '../src/processor/worker.ts';
import { findKey } from '../src/repositories/idempotency.ts';
import { createPayment } from '../src/use-cases/create-payment.ts';
import { buildPayments, pay, registerUser } from './helper.ts';

/** A context on its own pool whose statements are counted (the app's cache, config and settings). */
function counted(t: { teardown(fn: () => unknown): void }, app: FastifyInstance & { testRun: { dbUrl: string } }, base: Partial<PaymentsContext>) {
  const statements: string[] = [];
  const client = postgres(app.testRun.dbUrl, { max: 2, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
  t.teardown(() => client.end());
  const ctx = { ...base, db: drizzle(client, { schema }), log: app.log } as unknown as PaymentsContext;
  return { ctx, statements };
}

t.test('a create runs four statements: BEGIN, claim with the parties, payment with its history, response and created event, COMMIT', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const { ctx, statements } = counted(t, app, {
    cache: { invalidateTags: async () => true },
    config: { IDEMPOTENCY_KEY_TTL_HOURS: 24 },
    settings: { get: (key: string) => (key === 'payments.limits' ? {} : false) },
  } as unknown as PaymentsContext);
  const actor = { sub: alice.id, role: 'CUSTOMER' as const };
  const input = { recipientEmail: bob.email.toUpperCase(), amount: 1234, currency: 'EUR', type: 'instant' as const };
  await createPayment(ctx, actor, input, 'key-warm-up-0001', { requestId: 'r0' }); // connections opened

  statements.length = 0;
  const created = await createPayment(ctx, actor, input, 'key-counted-0001', { requestId: 'r1' });
  t.equal(created.statusCode, 201);
  t.equal(statements.length, 4, `statements: ${statements.map((s) => s.slice(0, 40)).join(' | ')}`);
  t.match(statements[0], /^begin/i);
  t.match(statements.at(-1), /^commit/i);

  // The response recorded in the same statement as the row is the row as written.
  const [row] = await app.db.execute(sql`select created_at, updated_at, recipient_id from payments where id = ${created.body.id}`);
  t.equal(new Date(row!.created_at as string).toISOString(), created.body.createdAt, 'created_at is the claim time at millisecond precision');
  t.equal(row!.recipient_id, bob.id, 'recipient found by email, case-insensitively');
  const recorded = await findKey(app.db, alice.id, 'key-counted-0001');
  t.same(recorded?.response, created.body, 'recorded response = the answer');
  t.equal(recorded?.paymentId, created.body.id);
  const [history] = await app.db.execute(sql`select count(*)::int as n from payment_transactions where payment_id = ${created.body.id} and from_status is null and to_status = 'pending'`);
  t.equal(Number(history!.n), 1, 'its first history row');
  const [event] = await app.db.execute(
    sql`select payload from outbox where event_type = 'payments.payment.created' and payload->'data'->>'paymentId' = ${created.body.id}`,
  );
  t.match(event?.payload, { type: 'payments.payment.created', data: { paymentId: created.body.id, status: 'pending', amount: 1234, recipientId: bob.id } }, 'its created event, written by the same statement');

  // A replay: BEGIN, claim (taken), read the key, COMMIT — and the same body.
  statements.length = 0;
  const replay = await createPayment(ctx, actor, input, 'key-counted-0001', { requestId: 'r2' });
  t.ok(replay.replayed);
  t.same(replay.body, created.body);
  t.equal(statements.length, 4);
});

t.test('a processor batch runs the same statements whatever its size and mix of steps', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push((await pay(app, alice, bob, { amount: 1000 + i })).id);
  // Half of them already processing (their second step), an over-limit one fails there.
  await app.db.execute(sql`update payments set next_step_at = now() - interval '1 second'`);
  await app.db.execute(sql`update payments set status = 'processing' where id in (${sql.join(ids.slice(0, 6).map((id) => sql`${id}::uuid`), sql`, `)})`);
  await app.db.execute(sql`update payments set amount = 2000000000 where id = ${ids[0]}`);
  const { ctx, statements } = counted(t, app, {
    config: { PROCESSOR_LIMIT_MAJOR_UNITS: 1_000_000 },
    settings: { stepDelayMs: () => 600_000, get: () => DEFAULT_FAIL_RULE },
  } as unknown as PaymentsContext);
  await ctx.db.execute(sql`select 1`); // the connection opened, its types read
  statements.length = 0;

  const steps = await takeDueSteps(ctx, 100);
  t.equal(steps.length, 12);
  const byStatus = (s: string) => steps.filter((x) => x.payment.status === s).length;
  t.same([byStatus('processing'), byStatus('completed'), byStatus('failed')], [6, 5, 1], 'three target statuses in one batch');
  // BEGIN, claim, the recipients' replica rows, status changes with history, outbox, COMMIT.
  t.equal(statements.length, 6, `statements: ${statements.map((s) => s.slice(0, 40)).join(' | ')}`);

  const [history] = await app.db.execute(sql`select count(*)::int as n from payment_transactions where from_status is not null`);
  t.equal(Number(history!.n), 12, 'one history row per step');
  const [failed] = await app.db.execute(sql`select failure_reason, next_step_at from payments where id = ${ids[0]}`);
  t.ok(failed!.failure_reason, 'the failure reason is written');
  t.equal(failed!.next_step_at, null, 'a final status has no next step');
  const [next] = await app.db.execute(sql`select count(*)::int as n from payments where status = 'processing' and next_step_at > now() + interval '500 seconds'`);
  t.equal(Number(next!.n), 6, 'a first step schedules the second after the delay');
  const events = await app.db.execute(sql`select event_type, count(*)::int as n from outbox where event_type like 'payments.payment.%' and event_type <> 'payments.payment.created' group by 1 order by 1`);
  t.same(
    events.map((e) => [e.event_type, Number(e.n)]),
    [
      ['payments.payment.completed', 5],
      ['payments.payment.failed', 1],
      ['payments.payment.updated', 6],
    ],
    'one event per step',
  );
});

t.test('the processor accepts an inbox batch of created payments with one statement', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await pay(app, alice, bob, { amount: 2000 + i })).id);
  const { ctx, statements } = counted(t, app, {});
  await ctx.db.execute(sql`select 1`); // the connection opened, its types read
  statements.length = 0;

  let wakes = 0;
  const accept = acceptCreatedPayment(() => 600_000, () => (wakes += 1));
  const events = ids.map((id) => ({ data: { paymentId: id } }) as unknown as AnyEventEnvelope);
  const traced = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` };
  await ctx.db.transaction((tx) => accept.handleBatch(events, tx, (i) => (i === 1 ? traced : undefined)));
  t.equal(statements.length, 3, `BEGIN, one UPDATE for the batch, COMMIT: ${statements.map((s) => s.slice(0, 40)).join(' | ')}`);
  t.equal(wakes, 1, 'the worker is told once');

  const rows = await app.db.execute(
    sql`select id, next_step_at > now() + interval '500 seconds' as later, trace_context from payments where id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  const byId = new Map(rows.map((r) => [r.id as string, r]));
  t.same(ids.map((id) => byId.get(id)?.later), [true, true, true], 'every first step due after the delay');
  t.same(ids.map((id) => byId.get(id)?.trace_context ?? null), [null, traced, null], 'each payment keeps its own delivery’s trace context');

  // A redelivery (or a cancelled payment) changes nothing: only pending payments without a step.
  await app.db.execute(sql`update payments set next_step_at = null, status = 'cancelled' where id = ${ids[0]}`);
  await ctx.db.transaction((tx) => accept.handleBatch(events, tx, () => undefined));
  const [cancelled] = await app.db.execute(sql`select next_step_at from payments where id = ${ids[0]}`);
  t.equal(cancelled!.next_step_at, null, 'a cancelled payment gets no step');
  const [kept] = await app.db.execute(sql`select trace_context from payments where id = ${ids[1]}`);
  t.same(kept!.trace_context, traced, 'an already scheduled payment is left as it was');
});

t.test('the hot statements are prepared once per connection: the claim, the insert, the status changes whatever the batch size', async (t) => {
  const app = await buildPayments(t, { PROCESSOR_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const carol = await registerUser(app, 'CUSTOMER', 'carol');
  // One connection, so pg_prepared_statements (per session) sees every statement the pool prepared.
  const client = postgres(app.testRun.dbUrl, { max: 1, onnotice: () => {} });
  t.teardown(() => client.end());
  const ctx = {
    db: drizzle(client, { schema }),
    log: app.log,
    cache: { invalidateTags: async () => true },
    config: { IDEMPOTENCY_KEY_TTL_HOURS: 24, PROCESSOR_LIMIT_MAJOR_UNITS: 1_000_000 },
    settings: { stepDelayMs: () => 0, get: (key: string) => (key === 'payments.limits' ? {} : key === 'processor.failRule' ? DEFAULT_FAIL_RULE : false) },
  } as unknown as PaymentsContext;
  const actor = { sub: alice.id, role: 'CUSTOMER' as const };
  const inputs = [
    { recipientEmail: bob.email, amount: 100, currency: 'EUR', type: 'instant' as const },
    { recipientId: carol.id, amount: 200, currency: 'EUR', type: 'instant' as const },
    { recipientEmail: carol.email, amount: 300, currency: 'USD', type: 'instant' as const },
  ];
  for (const [i, input] of inputs.entries()) {
    t.equal((await createPayment(ctx, actor, input, `key-prepared-${i}`, { requestId: `r${i}` })).statusCode, 201);
  }
  t.equal((await createPayment(ctx, actor, inputs[0]!, 'key-prepared-0', { requestId: 'r-replay' })).statusCode, 201, 'a replay');

  // Two processor batches of different sizes: three due pending payments, then two of them again.
  await app.db.execute(sql`update payments set next_step_at = now() - interval '1 second'`);
  t.equal((await takeDueSteps(ctx, 3)).length, 3);
  await app.db.execute(sql`update payments set next_step_at = now() - interval '1 second' where status = 'processing'`);
  t.equal((await takeDueSteps(ctx, 2)).length, 2);

  const prepared = async (pattern: string) =>
    Number((await client`select count(*)::int as n from pg_prepared_statements where statement ilike ${pattern}`)[0]!.n);
  t.equal(await prepared('%insert into idempotency_keys%'), 1, 'one claim statement for recipients by id and by email, and the replay');
  t.equal(await prepared('%insert into payments (id, sender_id%'), 1, 'one insert statement for every create');
  t.equal(await prepared('%insert into payment_transactions (id, payment_id%from change%'), 1, 'one status-change statement for batches of 3 and 2');
});
