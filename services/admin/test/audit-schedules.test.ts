// Schedule events (payments.schedule.*) reach the audit log like every catalogue type.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createEvent } from '@bank/events';
import { bearer, buildAdmin, waitFor } from './helper.ts';

t.test('payments.schedule.* events are audited, filterable by type and user', async (t) => {
  const { app, publish, token } = await buildAdmin(t);
  const admin = bearer(token());
  const alice = randomUUID();
  const scheduleId = randomUUID();
  const data = (status: 'active' | 'paused' | 'cancelled') => ({
    scheduleId,
    userId: alice,
    senderId: alice,
    recipientId: randomUUID(),
    amount: 1500,
    currency: 'EUR',
    type: 'recurring' as const,
    frequency: 'monthly' as const,
    timeZone: 'Europe/Paris',
    startDate: '2027-01-31',
    status,
    nextRunAt: status === 'cancelled' ? null : '2027-01-30T23:00:00.000Z',
  });
  const events = [
    createEvent({ type: 'payments.schedule.created', source: 'payments', data: data('active') }),
    createEvent({ type: 'payments.schedule.paused', source: 'payments', data: data('paused') }),
    createEvent({ type: 'payments.schedule.resumed', source: 'payments', data: data('active') }),
    createEvent({ type: 'payments.schedule.cancelled', source: 'payments', data: data('cancelled') }),
  ];
  for (const event of events) await publish(event);
  const list = () => app.inject({ url: `/admin/audit?userId=${alice}`, headers: admin });
  const entries = await waitFor(async () => {
    const items = (await list()).json().items as Array<{ type: string; eventId: string; data: { scheduleId: string } }>;
    return items.length === 4 ? items : undefined;
  }, 'four audit entries');
  t.same(entries.map((e) => e.type).sort(), ['payments.schedule.cancelled', 'payments.schedule.created', 'payments.schedule.paused', 'payments.schedule.resumed']);
  t.ok(entries.every((e) => e.data.scheduleId === scheduleId));
  const byType = await app.inject({ url: '/admin/audit?type=payments.schedule.cancelled', headers: admin });
  t.same(byType.json().items.map((e: { eventId: string }) => e.eventId), [events[3]!.id]);
});
