// Auth disables a user → payments pauses that user's active schedules (status 'paused',
// statusReason 'sender-disabled', a payments.schedule.paused event each) through the real inbox;
// nothing of theirs runs; enabling the user again leaves them paused until the sender resumes.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { createEvent } from '@bank/events';
import { waitFor } from '@bank/kit/testing';
import { localDate } from '../src/domain/schedule.ts';
import { runOneOccurrence } from '../src/scheduler/worker.ts';
import { buildPayments, idem, publishAuthEvent, registerUser } from './helper.ts';

t.test("a disabled sender's active schedules are paused, and stay paused after re-enabling", async (t) => {
  const app = await buildPayments(t, { SCHEDULER_ENABLED: 'false' });
  const carol = await registerUser(app, 'CUSTOMER', 'carol');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const today = localDate(new Date(), 'UTC');
  const create = async (payload: object) => {
    const res = await app.inject({ method: 'POST', url: '/payments/schedules', headers: { ...carol.headers, ...idem() }, payload: { recipientId: bob.id, amount: 700, currency: 'EUR', ...payload } });
    t.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; status: string; statusReason: string | null };
  };
  const due = await create({ type: 'scheduled', executionDate: today });
  const monthly = await create({ type: 'recurring', frequency: 'monthly', startDate: today, count: 3 });
  const cancelled = await create({ type: 'recurring', frequency: 'weekly', startDate: today, count: 2 });
  await app.inject({ method: 'POST', url: `/payments/schedules/${cancelled.id}/cancel`, headers: carol.headers });
  const bobs = await app.inject({ method: 'POST', url: '/payments/schedules', headers: { ...bob.headers, ...idem() }, payload: { recipientId: carol.id, amount: 5, currency: 'EUR', type: 'scheduled', executionDate: today } });
  t.equal(due.statusReason, null, 'a new schedule has no reason');

  await publishAuthEvent(app, createEvent({ type: 'auth.user.disabled', source: 'auth', data: { userId: carol.id } }));
  const read = async (id: string, as = carol) => (await app.inject({ url: `/payments/schedules/${id}`, headers: as.headers })).json();
  await waitFor(async () => (await read(monthly.id)).status === 'paused', 'schedules paused by the inbox handler');
  for (const id of [due.id, monthly.id]) t.match(await read(id), { status: 'paused', statusReason: 'sender-disabled' }, `${id} paused with the reason`);
  t.match(await read(cancelled.id), { status: 'cancelled', statusReason: null }, 'a cancelled schedule stays cancelled');
  t.match(await read(bobs.json().id, bob), { status: 'active' }, "the recipient's own schedule to carol is not touched");
  const events = await app.db.execute(sql`select aggregate_id, event_type from outbox where event_type = 'payments.schedule.paused' order by id`);
  t.same(events.map((e) => e.aggregate_id).sort(), [due.id, monthly.id].sort(), 'one payments.schedule.paused event per paused schedule');

  let ran = 0;
  while (await runOneOccurrence(app)) ran++;
  t.equal(ran, 1, "only bob's schedule ran; carol's due schedule did not");

  // The disabled event redelivered (or a status update saying disabled) changes nothing more.
  await publishAuthEvent(app, createEvent({ type: 'auth.user.updated', source: 'auth', data: { userId: carol.id, email: carol.email, name: 'Carol', role: 'CUSTOMER', status: 'disabled' } }));
  await publishAuthEvent(app, createEvent({ type: 'auth.user.updated', source: 'auth', data: { userId: carol.id, email: carol.email, name: 'Carol', role: 'CUSTOMER', status: 'active' } }));
  await waitFor(async () => (await app.db.execute(sql`select status from known_users where id = ${carol.id}`))[0]?.status === 'active', 'carol enabled again');
  t.match(await read(monthly.id), { status: 'paused', statusReason: 'sender-disabled' }, 're-enabling does not resume: the sender decides');
  const pausedEvents = await app.db.execute(sql`select 1 from outbox where event_type = 'payments.schedule.paused'`);
  t.equal(pausedEvents.length, 2, 'no second pause event');

  const resumed = await app.inject({ method: 'POST', url: `/payments/schedules/${monthly.id}/resume`, headers: carol.headers });
  t.equal(resumed.statusCode, 200, resumed.body);
  t.match(resumed.json(), { status: 'active', statusReason: null }, 'resuming clears the reason');
});
