// /payments/schedules: creation rules, idempotency, authorisation (no IDOR), pause / resume /
// cancel, events through the outbox, and occurrences created as ordinary payments.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { addDays, addMonthsClamped, localDate } from '../src/domain/schedule.ts';
import { runOneOccurrence } from '../src/scheduler/worker.ts';
import { buildPayments, idem, registerUser, type TestUser } from './helper.ts';

t.test('scheduled and recurring payments API', async (t) => {
  const app = await buildPayments(t, { SCHEDULER_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const admin = await registerUser(app, 'ADMIN', 'admin');
  const today = localDate(new Date(), 'UTC');
  const create = (user: TestUser, payload: object, headers: Record<string, string> = idem()) =>
    app.inject({ method: 'POST', url: '/payments/schedules', headers: { ...user.headers, ...headers }, payload });
  const base = { recipientId: bob.id, amount: 1500, currency: 'EUR', description: 'Rent' };
  const outboxTypes = async (aggregateId: string) =>
    (await app.db.execute(sql`select event_type from outbox where aggregate_id = ${aggregateId} order by id`)).map((r) => r.event_type);
  const drainScheduler = async () => {
    let n = 0;
    while (await runOneOccurrence(app)) n++;
    return n;
  };

  t.test('a scheduled payment for today runs once, as an ordinary payment linked to its schedule', async (t) => {
    const res = await create(alice, { ...base, type: 'scheduled', executionDate: today });
    t.equal(res.statusCode, 201, res.body);
    const schedule = res.json();
    t.match(schedule, { type: 'scheduled', frequency: null, timeZone: 'UTC', startDate: today, status: 'active', occurrencesDone: 0 });
    t.same(schedule.upcoming.map((o: { date: string }) => o.date), [today]);
    t.same(await outboxTypes(schedule.id), ['payments.schedule.created']);

    t.equal(await drainScheduler(), 1);
    t.equal(await drainScheduler(), 0, 'nothing left');
    const detail = (await app.inject({ url: `/payments/schedules/${schedule.id}`, headers: alice.headers })).json();
    t.match(detail, { status: 'completed', occurrencesDone: 1, nextRunAt: null, upcoming: [] });
    t.equal(detail.payments.length, 1);
    const payment = detail.payments[0];
    t.match(payment, { scheduleId: schedule.id, occurrenceIndex: 0, type: 'scheduled', status: 'pending', amount: 1500, recipientId: bob.id });
    t.same(await outboxTypes(payment.id), ['payments.payment.created'], 'the same created event as any payment');
    const own = (await app.inject({ url: `/payments/${payment.id}`, headers: bob.headers })).json();
    t.equal(own.scheduleId, schedule.id, 'the recipient sees the payment like any other');
  });

  t.test('a recurring monthly schedule lists its upcoming occurrences (month-end clamped)', async (t) => {
    // the 31st of the next month that has one, within the year
    let start = addMonthsClamped(today, 1, 31);
    if (!start.endsWith('-31')) start = addMonthsClamped(today, 2, 31);
    const res = await create(alice, { ...base, type: 'recurring', frequency: 'monthly', startDate: start, count: 4, timeZone: 'Europe/Paris' });
    t.equal(res.statusCode, 201, res.body);
    const id = res.json().id;
    const detail = (await app.inject({ url: `/payments/schedules/${id}?upcoming=10`, headers: alice.headers })).json();
    t.equal(detail.upcoming.length, 4, 'count limits the occurrences');
    t.equal(detail.upcoming[0].date, start);
    t.ok(detail.upcoming.every((o: { date: string }, i: number) => o.date === addMonthsClamped(start, i, 31)));
    t.ok(detail.upcoming.some((o: { date: string }) => !o.date.endsWith('-31')), 'a short month runs on its last day');
    t.equal(detail.nextRunAt, detail.upcoming[0].dueAt);
    t.equal(await drainScheduler(), 0, 'not due yet');
  });

  t.test('bad requests: problem+json with PAYMENTS_* codes', async (t) => {
    const cases: Array<[object, number, string]> = [
      [{ ...base, type: 'scheduled', executionDate: addDays(today, -1) }, 422, 'PAYMENTS_INVALID_SCHEDULE'],
      [{ ...base, type: 'scheduled', executionDate: addMonthsClamped(today, 13) }, 422, 'PAYMENTS_INVALID_SCHEDULE'],
      [{ ...base, type: 'scheduled', executionDate: today, timeZone: 'Not/AZone' }, 422, 'PAYMENTS_INVALID_TIME_ZONE'],
      [{ ...base, type: 'recurring', startDate: today }, 422, 'PAYMENTS_INVALID_SCHEDULE'],
      [{ ...base, type: 'recurring', frequency: 'daily', startDate: today }, 400, 'VALIDATION_FAILED'],
      [{ ...base, type: 'scheduled', executionDate: '27-1-1' }, 400, 'VALIDATION_FAILED'],
      [{ ...base, type: 'instant', executionDate: today }, 400, 'VALIDATION_FAILED'],
      [{ ...base, amount: '1500', type: 'scheduled', executionDate: today }, 400, 'PAYMENTS_INVALID_AMOUNT'],
      [{ ...base, recipientId: alice.id, type: 'scheduled', executionDate: today }, 422, 'PAYMENTS_SELF_PAYMENT'],
      [{ ...base, recipientId: randomUUID(), type: 'scheduled', executionDate: today }, 422, 'PAYMENTS_RECIPIENT_NOT_FOUND'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await create(alice, payload);
      t.equal(res.statusCode, status, JSON.stringify(payload));
      t.equal(res.json().code, code);
      t.match(res.headers['content-type'], /application\/problem\+json/);
    }
    const noKey = await create(alice, { ...base, type: 'scheduled', executionDate: today }, {});
    t.equal(noKey.json().code, 'PAYMENTS_IDEMPOTENCY_KEY_REQUIRED');
    t.equal((await app.inject({ method: 'POST', url: '/payments/schedules', payload: base })).statusCode, 401);
  });

  t.test('Idempotency-Key: replay, reuse with another body, concurrent duplicates', async (t) => {
    const body = { ...base, type: 'recurring', frequency: 'weekly', startDate: addDays(today, 3), count: 2 };
    const key = { 'idempotency-key': randomUUID() };
    const first = await create(alice, body, key);
    t.equal(first.statusCode, 201);
    const replay = await create(alice, { ...body }, key);
    t.equal(replay.statusCode, 201);
    t.same(replay.json(), first.json());
    t.equal(replay.headers['idempotent-replayed'], 'true');
    t.equal((await create(alice, { ...body, amount: 1501 }, key)).json().code, 'PAYMENTS_IDEMPOTENCY_KEY_REUSED');
    // a payment's key is not a schedule's
    const paymentKey = { 'idempotency-key': randomUUID() };
    await app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, ...paymentKey }, payload: { ...base, type: 'instant' } });
    t.equal((await create(alice, body, paymentKey)).json().code, 'PAYMENTS_IDEMPOTENCY_KEY_REUSED');

    const concurrentKey = { 'idempotency-key': randomUUID() };
    const responses = await Promise.all(Array.from({ length: 8 }, () => create(alice, { ...body, amount: 4242 }, concurrentKey)));
    t.same(responses.map((r) => r.statusCode), Array(8).fill(201));
    t.equal(new Set(responses.map((r) => r.json().id)).size, 1);
    const [row] = await app.db.execute(sql`select count(*)::int as n from payment_schedules where amount = 4242`);
    t.equal(row!.n, 1, 'one schedule');
  });

  t.test('own schedules only (no IDOR); admins see and manage all', async (t) => {
    const mine = (await create(alice, { ...base, type: 'scheduled', executionDate: addDays(today, 5) })).json();
    const hidden = await app.inject({ url: `/payments/schedules/${mine.id}`, headers: bob.headers });
    const missing = await app.inject({ url: `/payments/schedules/${randomUUID()}`, headers: bob.headers });
    t.equal(hidden.statusCode, 404);
    t.equal(hidden.json().code, 'PAYMENTS_SCHEDULE_NOT_FOUND');
    t.equal(missing.json().code, hidden.json().code, 'another user’s schedule looks missing');
    for (const action of ['pause', 'resume', 'cancel']) {
      t.equal((await app.inject({ method: 'POST', url: `/payments/schedules/${mine.id}/${action}`, headers: bob.headers })).statusCode, 404, action);
    }
    const bobsList = (await app.inject({ url: '/payments/schedules', headers: bob.headers })).json();
    t.same(bobsList.items, [], 'the recipient does not list the sender’s schedules');
    const adminList = (await app.inject({ url: '/payments/schedules?limit=100', headers: admin.headers })).json();
    t.ok(adminList.items.some((s: { id: string }) => s.id === mine.id));
    t.equal((await app.inject({ method: 'POST', url: `/payments/schedules/${mine.id}/pause`, headers: admin.headers })).json().status, 'paused');
    t.equal((await app.inject({ url: '/payments/schedules/not-a-uuid', headers: alice.headers })).statusCode, 400);
  });

  t.test('cursor pagination of the list, newest first', async (t) => {
    const carol = await registerUser(app, 'CUSTOMER', 'carol');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(carol, { ...base, amount: 100 + i, type: 'scheduled', executionDate: addDays(today, 1) })).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (
        await app.inject({ url: `/payments/schedules?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: carol.headers })
      ).json();
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    t.same(seen, [...ids].reverse());
  });

  t.test('pause, resume and cancel: status rules, events, and cancel stops future occurrences only', async (t) => {
    const s = (await create(alice, { ...base, type: 'recurring', frequency: 'weekly', startDate: today, count: 3 })).json();
    t.equal(await drainScheduler(), 1, 'the first occurrence (today) runs');
    const act = (action: string) => app.inject({ method: 'POST', url: `/payments/schedules/${s.id}/${action}`, headers: alice.headers });

    t.equal((await act('pause')).json().status, 'paused');
    // even when its next occurrence is due, a paused schedule does not run
    await app.db.execute(sql`update payment_schedules set next_run_at = now() - interval '1 minute' where id = ${s.id}`);
    t.equal(await drainScheduler(), 0);
    const again = await act('pause');
    t.equal(again.statusCode, 409);
    t.equal(again.json().code, 'PAYMENTS_ILLEGAL_SCHEDULE_TRANSITION');

    const resumed = (await act('resume')).json();
    t.match(resumed, { status: 'active', occurrencesDone: 1 });
    t.equal(resumed.upcoming[0].date, addDays(today, 7), 'resume recomputes the next due date');

    const cancelled = await act('cancel');
    t.match(cancelled.json(), { status: 'cancelled', nextRunAt: null, upcoming: [] });
    t.equal((await act('resume')).statusCode, 409, 'cancelled is final');
    await app.db.execute(sql`update payment_schedules set next_run_at = now() - interval '1 minute' where id = ${s.id}`);
    t.equal(await drainScheduler(), 0, 'no occurrence after cancel');
    const detail = (await app.inject({ url: `/payments/schedules/${s.id}`, headers: alice.headers })).json();
    t.equal(detail.payments.length, 1, 'the payment already created is kept');
    t.same(await outboxTypes(s.id), [
      'payments.schedule.created',
      'payments.schedule.paused',
      'payments.schedule.resumed',
      'payments.schedule.cancelled',
    ]);
    const [event] = await app.db.execute(sql`select payload from outbox where aggregate_id = ${s.id} and event_type = 'payments.schedule.cancelled'`);
    t.match(event, { payload: { version: 1, source: 'payments', data: { scheduleId: s.id, userId: alice.id, status: 'cancelled', nextRunAt: null } } });
  });

  t.test('OpenAPI documents the schedule routes', async (t) => {
    const doc = (await app.inject({ url: '/payments/openapi.json' })).json();
    for (const path of ['/payments/schedules/', '/payments/schedules/{id}', '/payments/schedules/{id}/cancel']) t.ok(doc.paths[path], path);
  });
});
