// Configuration that takes effect: payments loads the catalogue keys it applies from admin at
// start and again on admin.config.updated (limits → 422, maintenance → 503, the processor's delay
// and fail rule), within 1 s; replicas share the snapshot through Redis.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { createEvent } from '@bank/events';
import { localDate, startOfLocalDay } from '../src/domain/schedule.ts';
import { insertSchedule } from '../src/repositories/schedules.ts';
import { buildPayments, idem, publishAuthEvent, registerUser, waitFor, type TestUser } from './helper.ts';

/** A stand-in for admin's GET /internal/config?service=…: mutable, versioned. */
async function fakeAdmin(t: { teardown(fn: () => unknown): void }) {
  const keys: Record<string, { value: unknown; version: number; service: string }> = {};
  const stub = Fastify();
  stub.get<{ Querystring: { service: string } }>('/internal/config', async (request) => ({
    items: Object.entries(keys)
      .filter(([, entry]) => entry.service === request.query.service)
      .map(([key, { value, version }]) => ({ key, value, version })),
  }));
  const url = await stub.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => stub.close());
  const set = (key: string, value: unknown, service = key.startsWith('processor.') ? 'processor' : 'payments') => {
    const version = (keys[key]?.version ?? 0) + 1;
    keys[key] = { value, version, service };
    return version;
  };
  return { url, set };
}

const updated = (key: string, version: number) => {
  const adminId = randomUUID();
  return createEvent({ type: 'admin.config.updated', source: 'admin', data: { key, version, updatedBy: adminId, userId: adminId } });
};

t.test('limits and maintenance: loaded at start, changed by admin.config.updated within 1 s', async (t) => {
  const admin = await fakeAdmin(t);
  admin.set('payments.limits', { EUR: 5000 });
  const app = await buildPayments(t, { ADMIN_URL: admin.url });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const create = (from: TestUser, to: TestUser, amount: number, currency = 'EUR') =>
    app.inject({ method: 'POST', url: '/payments', headers: { ...from.headers, ...idem() }, payload: { recipientId: to.id, amount, currency, type: 'instant' } });

  const over = await create(alice, bob, 5001);
  t.equal(over.statusCode, 422, 'the limit loaded at start applies');
  t.match(over.json(), { code: 'PAYMENTS_LIMIT_EXCEEDED', limit: 5000, currency: 'EUR', detail: '5001 minor units of EUR is above the limit of 5000 per payment' });
  t.equal((await create(alice, bob, 5000)).statusCode, 201, 'at the limit is fine');
  t.equal((await create(alice, bob, 900000, 'USD')).statusCode, 201, 'a currency without a limit');

  const timeToApply = async (key: string, value: unknown, check: () => Promise<boolean>) => {
    const version = admin.set(key, value);
    const started = Date.now();
    await publishAuthEvent(app, updated(key, version));
    await waitFor(async () => ((await check()) ? true : undefined), `${key} applied`, 1000);
    return Date.now() - started;
  };

  const ms = await timeToApply('platform.maintenance', true, async () => (await create(alice, bob, 100)).statusCode === 503);
  t.ok(ms < 1000, `maintenance applied in ${ms} ms`);
  const refused = await create(alice, bob, 100);
  t.match(refused.json(), { status: 503, code: 'PAYMENTS_MAINTENANCE' });
  t.match(refused.headers['content-type'], /application\/problem\+json/);
  t.equal((await app.inject({ url: '/payments', headers: alice.headers })).statusCode, 200, 'reads still work');

  await timeToApply('platform.maintenance', false, async () => (await create(alice, bob, 100)).statusCode === 201);
  await timeToApply('payments.limits', {}, async () => (await create(alice, bob, 5001)).statusCode === 201);
  t.pass('maintenance off and limits lifted take effect too');

  t.test('a second replica (sharing Redis, not receiving the event) follows within 1 s', async (t) => {
    const replica = await buildPayments(t, { ADMIN_URL: 'http://127.0.0.1:9', CACHE_NAMESPACE: app.testRun.namespace });
    const version = admin.set('payments.limits', { EUR: 10 });
    await publishAuthEvent(app, updated('payments.limits', version));
    await waitFor(async () => (JSON.stringify(replica.runtimeConfig.get('payments.limits')) === '{"EUR":10}' ? true : undefined), 'replica applied the shared snapshot', 1000);
    t.pass('applied');
  });
});

t.test('admin unreachable at start: defaults apply, and the fetch is retried', async (t) => {
  const app = await buildPayments(t, { ADMIN_URL: 'http://127.0.0.1:9', PROCESSOR_STEP_DELAY_MS: '1234' });
  t.same(app.runtimeConfig.get('payments.limits'), {});
  t.equal(app.runtimeConfig.get('platform.maintenance'), false);
  t.equal(app.runtimeConfig.stepDelayMs(), 1234, 'the env delay is the fallback');
});

t.test('the processor uses processor.stepDelayMs and processor.failRule', async (t) => {
  const admin = await fakeAdmin(t);
  admin.set('processor.stepDelayMs', 30);
  admin.set('processor.failRule', { descriptionContains: 'nope', amountEndsWith: null });
  const app = await buildPayments(t, { ADMIN_URL: admin.url, PROCESSOR_STEP_DELAY_MS: '600000' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  t.equal(app.runtimeConfig.stepDelayMs(), 30, 'the key overrides PROCESSOR_STEP_DELAY_MS');
  const settle = async (amount: number, description: string) => {
    const res = await app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, ...idem() }, payload: { recipientId: bob.id, amount, currency: 'EUR', type: 'instant', description } });
    const id = res.json().id as string;
    return waitFor(async () => {
      const p = (await app.inject({ url: `/payments/${id}`, headers: alice.headers })).json();
      return ['completed', 'failed'].includes(p.status) ? p : undefined;
    }, `payment ${id} settled`, 10_000);
  };
  t.equal((await settle(1013, 'FAIL please')).status, 'completed', 'the default rule is replaced');
  const declined = await settle(1000, 'say NOPE');
  t.equal(declined.status, 'failed');
  t.equal(declined.failureReason, 'declined by processor (description contains nope)');
});

t.test('maintenance holds the scheduler: a due occurrence is created only once the switch is off', async (t) => {
  const admin = await fakeAdmin(t);
  admin.set('platform.maintenance', true);
  const app = await buildPayments(t, { ADMIN_URL: admin.url, SCHEDULER_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '50' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  // Made before the switch went on (creating a schedule in maintenance is refused): due now.
  const today = localDate(new Date(), 'UTC');
  const id = randomUUID();
  await insertSchedule(app.db, {
    id,
    senderId: alice.id,
    recipientId: bob.id,
    recipientEmail: 'bob@example.test',
    amount: 1500,
    currency: 'EUR',
    description: null,
    kind: 'scheduled',
    frequency: null,
    timeZone: 'UTC',
    startDate: today,
    endDate: null,
    maxCount: 1,
    status: 'active',
    nextIndex: 0,
    nextRunAt: startOfLocalDay(today, 'UTC'),
  });
  const occurrences = async () => (await app.db.execute(sql`select count(*)::int as n from payments where schedule_id = ${id}`))[0]?.n as number;

  // The scheduler polls every 50 ms: a second is 20 chances to create it.
  await new Promise((r) => setTimeout(r, 1000));
  t.equal(await occurrences(), 0, 'no occurrence while maintenance is on');

  admin.set('platform.maintenance', false);
  await app.runtimeConfig.reload();
  await waitFor(async () => ((await occurrences()) === 1 ? true : undefined), 'the occurrence after maintenance', 5000);
  t.pass('created once the switch is off');
});
