// Health (one dependency down), dead letters (list keeps them, replay moves them), event replay
// from the audit log, and the dashboard (payments available, then down → degraded section).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { createEvent, declareTopology, queueNames } from '@bank/events';
import { bearer, buildAdmin, CLOSED_URL, waitFor } from './helper.ts';

/** A stand-in for the other services: ready, and payments' admin stats (bearer required). */
async function startStub(t: { teardown(fn: () => unknown): void }) {
  const stub = Fastify();
  const seenAuthorization: string[] = [];
  stub.get('/health/ready', async () => ({ status: 'ok', checks: { postgres: { status: 'up' } } }));
  stub.get('/payments/stats', async (request, reply) => {
    seenAuthorization.push(request.headers.authorization ?? '');
    if (!request.headers.authorization) return reply.code(401).send({ code: 'UNAUTHORIZED' });
    return {
      byStatus: [{ status: 'completed', count: 3 }, { status: 'pending', count: 1 }],
      byCurrency: [
        { currency: 'EUR', count: 4, amount: '12500', completedCount: 3, completedAmount: '9000' },
        { currency: 'GBP', count: 2, amount: '700', completedCount: 0, completedAmount: '0' },
      ],
    };
  });
  await stub.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => stub.close());
  return { url: `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`, seenAuthorization };
}

t.test('operations', async (t) => {
  const stub = await startStub(t);
  // payments is down (nothing listens there); the others answer.
  const { app, token, publish, prefix, broker, publisher } = await buildAdmin(t, { AUTH_URL: stub.url, PROFILE_URL: stub.url, GATEWAY_URL: stub.url, PAYMENTS_URL: CLOSED_URL });
  const admin = bearer(token());
  // The payments service's queues, as payments would declare them.
  await declareTopology(broker, { service: 'payments', types: ['auth.user.registered'], prefix });
  const payments = queueNames('payments', { prefix });
  const depth = async (queue: string) => (await broker.queueDeclare({ queue, passive: true })).messageCount;

  t.test('health with one dependency down', async (t) => {
    const res = await app.inject({ url: '/admin/health', headers: admin });
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.equal(body.status, 'degraded');
    const byName = Object.fromEntries(body.services.map((s: { name: string }) => [s.name, s]));
    t.match(byName.payments, { status: 'down', latencyMs: null, details: { error: /ECONNREFUSED/ } });
    for (const name of ['auth', 'profile', 'gateway']) t.match(byName[name], { status: 'up', details: { status: 'ok' } }, `${name} up`);
    for (const name of ['admin', 'postgres', 'redis', 'rabbitmq']) t.equal(byName[name].status, 'up', `${name} up`);
    const queues = Object.fromEntries(body.queues.map((q: { name: string }) => [q.name, q]));
    t.match(queues[`${prefix}admin.events`], { messages: 0, consumers: 1 }, "the admin's own queue has its consumer");
    t.match(queues[`${prefix}payments.events`], { messages: 0, consumers: 0 });
    t.match(queues[`${prefix}profile.events`], { messages: null, consumers: null, error: /NOT_FOUND|no queue/i }, 'a missing queue is reported, not a 500');
    t.same(body.deadLetters.find((d: { queue: string }) => d.queue === payments.dlq), { queue: payments.dlq, count: 0 });
  });

  t.test('dead letters: list keeps them, replay moves them back', async (t) => {
    const events = [1, 2].map(() =>
      createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId: randomUUID(), email: 'dl@example.test', name: 'Dead Letter', role: 'CUSTOMER' } }),
    );
    for (const event of events) {
      await publisher.send(
        { exchange: '', routingKey: payments.dlq, messageId: event.id, type: event.type, userId: 'guest', durable: true, contentType: 'application/json', headers: { 'x-dead-letter-reason': 'handler-failed', 'x-dead-letter-detail': 'boom', 'x-dead-lettered-at': new Date().toISOString(), 'x-retry-count': 3 } },
        event,
      );
    }
    await waitFor(async () => (await depth(payments.dlq)) === 2, 'two dead letters');
    for (let i = 0; i < 2; i += 1) {
      const list = await app.inject({ url: '/admin/dead-letters?queue=payments', headers: admin });
      t.equal(list.statusCode, 200);
      t.same(list.json().items.map((d: { id: string }) => d.id), events.map((e) => e.id), `listing ${i + 1}: both, in order`);
      t.match(list.json().items[0], { queue: 'payments', type: 'auth.user.registered', reason: 'handler-failed', detail: 'boom', retries: 3, payload: { id: events[0]!.id } });
    }
    t.equal(await depth(payments.dlq), 2, 'listing lost nothing');
    const health = (await app.inject({ url: '/admin/health', headers: admin })).json();
    t.equal(health.deadLetters.find((d: { queue: string }) => d.queue === payments.dlq).count, 2, 'health counts them');
    const all = await app.inject({ url: '/admin/dead-letters', headers: admin });
    t.equal(all.json().items.length, 2, 'without a queue: every DLQ');

    const one = await app.inject({ method: 'POST', url: '/admin/dead-letters/replay', headers: admin, payload: { queue: 'payments', ids: [events[1]!.id] } });
    t.same(one.json(), { replayed: 1, eventIds: [events[1]!.id] });
    await waitFor(async () => (await depth(payments.dlq)) === 1 && (await depth(payments.work)) === 1, 'one moved');
    const rest = await app.inject({ method: 'POST', url: '/admin/dead-letters/replay', headers: admin, payload: { queue: 'payments' } });
    t.same(rest.json(), { replayed: 1, eventIds: [events[0]!.id] });
    await waitFor(async () => (await depth(payments.dlq)) === 0 && (await depth(payments.work)) === 2, 'all moved');
    t.equal((await app.inject({ url: '/admin/dead-letters?queue=nobody', headers: admin })).statusCode, 400, 'unknown queue');
    await broker.queuePurge({ queue: payments.work });
  });

  t.test('event replay from the audit log', async (t) => {
    const inRange = [0, 1].map((i) =>
      createEvent({ type: 'auth.user.registered', source: 'auth', occurredAt: new Date(Date.UTC(2026, 1, 1, 10, i)), data: { userId: randomUUID(), email: `r${i}@example.test`, name: 'Replay', role: 'CUSTOMER' } }),
    );
    const outOfRange = createEvent({ type: 'auth.user.registered', source: 'auth', occurredAt: new Date(Date.UTC(2026, 1, 2)), data: { userId: randomUUID(), email: 'late@example.test', name: 'Late', role: 'CUSTOMER' } });
    const otherType = createEvent({ type: 'auth.user.disabled', source: 'auth', occurredAt: new Date(Date.UTC(2026, 1, 1, 10, 5)), data: { userId: randomUUID() } });
    for (const event of [...inRange, outOfRange, otherType]) await publish(event);
    await waitFor(async () => ((await app.db.execute(sql`select count(*)::int as n from audit_log`)) as unknown as Array<{ n: number }>)[0]!.n >= 4, 'audited');
    await broker.queuePurge({ queue: payments.work });

    const res = await app.inject({
      method: 'POST',
      url: '/admin/events/replay',
      headers: admin,
      payload: { type: 'auth.user.registered', from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z', target: 'payments' },
    });
    t.equal(res.statusCode, 200);
    t.same(res.json().eventIds, inRange.map((e) => e.id), 'only the type and range asked for, oldest first');
    await waitFor(async () => (await depth(payments.work)) === 2, "two events in payments' work queue");
    const channel = await broker.acquire();
    const first = await channel.basicGet({ queue: payments.work, noAck: true });
    await channel.close();
    t.same(JSON.parse(Buffer.isBuffer(first?.body) ? first.body.toString() : JSON.stringify(first?.body)), inRange[0], 'the exact envelope');
    t.equal(first?.messageId, inRange[0]!.id);
    t.equal(first?.headers?.['x-original-user-id'], 'guest', "the source's user travels with the copy");
    await broker.queuePurge({ queue: payments.work });

    const wrongTarget = await app.inject({ method: 'POST', url: '/admin/events/replay', headers: admin, payload: { type: 'auth.login.failed', from: '2026-02-01T00:00:00Z', to: '2026-02-02T00:00:00Z', target: 'payments' } });
    t.equal(wrongTarget.json().code, 'ADMIN_INVALID_REPLAY_TARGET', 'payments does not consume auth.login.failed');
    const backwards = await app.inject({ method: 'POST', url: '/admin/events/replay', headers: admin, payload: { type: 'auth.user.registered', from: '2026-02-02T00:00:00Z', to: '2026-02-01T00:00:00Z', target: 'payments' } });
    t.equal(backwards.json().code, 'ADMIN_INVALID_RANGE');
  });

  t.test('dashboard: payments down → degraded section, not a 500', async (t) => {
    const res = await app.inject({ url: '/admin/dashboard', headers: admin });
    t.equal(res.statusCode, 200);
    t.match(res.json().payments, { status: 'unavailable', byStatus: [], byCurrency: [] });
    t.ok(res.json().recentActivity.length > 0 && res.json().recentActivity.length <= 20, 'recent activity from the audit log');
  });
});

t.test('dashboard with payments up: stats fetched with the admin token', async (t) => {
  const stub = await startStub(t);
  const { app, token, publish } = await buildAdmin(t, { PAYMENTS_URL: stub.url });
  const adminToken = token();
  const events = Array.from({ length: 22 }, (_, i) =>
    createEvent({ type: 'auth.user.disabled', source: 'auth', occurredAt: new Date(Date.UTC(2026, 2, 1, 0, i)), data: { userId: randomUUID() } }),
  );
  for (const event of events) await publish(event);
  await waitFor(async () => ((await app.db.execute(sql`select count(*)::int as n from audit_log`)) as unknown as Array<{ n: number }>)[0]!.n === 22, 'audited');
  const res = await app.inject({ url: '/admin/dashboard', headers: bearer(adminToken) });
  t.equal(res.statusCode, 200);
  t.same(res.json().payments, { status: 'ok', byStatus: [{ status: 'completed', count: 3 }, { status: 'pending', count: 1 }], byCurrency: [{ currency: 'EUR', count: 3, amount: 9000 }] }, 'volume counts completed payments only');
  t.equal(res.json().recentActivity.length, 20, 'the last 20 entries');
  t.equal(res.json().recentActivity[0].eventId, events[21]!.id, 'newest first');
  t.same(stub.seenAuthorization, [`Bearer ${adminToken}`], "the admin's token is forwarded");
});
