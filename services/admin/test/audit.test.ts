// The audit log: every event recorded once (redelivery is a no-op), filters, cursor pages,
// and the table refuses UPDATE/DELETE/TRUNCATE.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { createEvent } from '@bank/events';
import { bearer, buildAdmin, waitFor } from './helper.ts';

t.test('audit log', async (t) => {
  const { app, publish, token } = await buildAdmin(t);
  const admin = bearer(token());
  const alice = randomUUID();
  const bob = randomUUID();
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes)).toISOString();
  const payment = (userId: string) => ({
    paymentId: randomUUID(), userId, senderId: userId, recipientId: randomUUID(), amount: 1250, currency: 'EUR', status: 'pending' as const, type: 'instant' as const,
  });
  const events = [
    createEvent({ type: 'auth.user.registered', source: 'auth', occurredAt: at(0), data: { userId: alice, email: 'alice@example.test', name: 'Alice', role: 'CUSTOMER' } }),
    createEvent({ type: 'auth.user.registered', source: 'auth', occurredAt: at(1), data: { userId: bob, email: 'bob@example.test', name: 'Bob', role: 'CUSTOMER' } }),
    createEvent({ type: 'payments.payment.created', source: 'payments', occurredAt: at(2), data: payment(alice) }),
    createEvent({ type: 'payments.payment.created', source: 'payments', occurredAt: at(3), data: payment(bob) }),
    createEvent({ type: 'profile.profile.updated', source: 'profile', occurredAt: at(4), data: { userId: alice, fields: ['bio'] } }),
    createEvent({ type: 'auth.login.failed', source: 'auth', occurredAt: at(5), data: { email: 'x@example.test', ip: '10.0.0.1', reason: 'bad-password' } }),
  ];
  for (const event of events) await publish(event);
  // Redelivery of the first event, then a marker: handlers run in queue order.
  await publish(events[0]!);
  const marker = createEvent({ type: 'auth.user.logout', source: 'auth', occurredAt: at(6), data: { userId: bob, sessionId: randomUUID() } });
  await publish(marker);
  const count = async () => ((await app.db.execute(sql`select count(*)::int as n from audit_log`)) as unknown as Array<{ n: number }>)[0]!.n;
  await waitFor(async () => (await count()) === 7, 'seven audit entries');
  await waitFor(async () => ((await app.db.execute(sql`select 1 from inbox where event_id = ${marker.id}`)) as unknown as unknown[]).length === 1, 'the marker');
  t.equal(await count(), 7, 'the redelivered event was recorded once');
  const announced = (await app.db.execute(sql`select count(*)::int as n from outbox where event_type = 'admin.audit.created'`)) as unknown as Array<{ n: number }>;
  t.equal(announced[0]!.n, 0, 'no admin.audit.created per entry (the gateway announces entries from the original events)');

  const all = await app.inject({ url: '/admin/audit', headers: admin });
  t.equal(all.statusCode, 200);
  t.equal(all.json().items.length, 7);
  t.equal(all.json().items[0].eventId, marker.id, 'newest first');
  t.match(all.json().items.at(-1), { eventId: events[0]!.id, type: 'auth.user.registered', source: 'auth', userId: alice, occurredAt: at(0), correlationId: events[0]!.correlationId, data: { email: 'alice@example.test' } });
  t.equal(all.json().items.find((e: { type: string }) => e.type === 'auth.login.failed').userId, null, 'no userId when the event has none');

  const ids = (res: { json(): { items: Array<{ eventId: string }> } }) => res.json().items.map((e) => e.eventId);
  t.same(ids(await app.inject({ url: '/admin/audit?type=payments.payment.created', headers: admin })), [events[3]!.id, events[2]!.id], 'by type');
  t.same(ids(await app.inject({ url: '/admin/audit?source=profile', headers: admin })), [events[4]!.id], 'by source');
  t.same(ids(await app.inject({ url: `/admin/audit?userId=${alice}`, headers: admin })), [events[4]!.id, events[2]!.id, events[0]!.id], 'by user');
  t.same(ids(await app.inject({ url: `/admin/audit?from=${at(1)}&to=${at(3)}`, headers: admin })), [events[2]!.id, events[1]!.id], 'by time range [from, to)');
  t.same(ids(await app.inject({ url: `/admin/audit?userId=${bob}&source=auth`, headers: admin })), [marker.id, events[1]!.id], 'filters combine');

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: Awaited<ReturnType<typeof app.inject>> = await app.inject({ url: `/admin/audit?limit=3${cursor ? `&cursor=${cursor}` : ''}`, headers: admin });
    seen.push(...ids(res));
    cursor = res.json().nextCursor;
    pages += 1;
  } while (cursor);
  t.equal(pages, 3, '7 entries in pages of 3');
  t.same(seen, ids(all), 'pages cover the log in order, without overlap');

  for (const [url, code] of [
    ['/admin/audit?cursor=garbage', 'INVALID_CURSOR'],
    ['/admin/audit?type=nope.nope.nope', 'VALIDATION_FAILED'],
    ['/admin/audit?userId=not-a-uuid', 'VALIDATION_FAILED'],
    [`/admin/audit?from=${at(3)}&to=${at(1)}`, 'ADMIN_INVALID_RANGE'],
  ] as const) {
    const res = await app.inject({ url, headers: admin });
    t.equal(res.statusCode, 400, url);
    t.equal(res.json().code, code, url);
  }

  // Append-only, even for the service's own connection.
  // Drizzle wraps the driver's error: PostgreSQL's message is its cause.
  const refusal = async (query: ReturnType<typeof sql>) => {
    try {
      await app.db.execute(query);
      return 'allowed';
    } catch (err) {
      return (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    }
  };
  t.match(await refusal(sql`update audit_log set type = 'x'`), /append-only: UPDATE/, 'UPDATE refused');
  t.match(await refusal(sql`delete from audit_log`), /append-only: DELETE/, 'DELETE refused');
  t.match(await refusal(sql`truncate audit_log`), /append-only: TRUNCATE/, 'TRUNCATE refused');
  t.equal(await count(), 7);
});
