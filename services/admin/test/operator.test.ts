// The production permission path: the admin connects as an OPERATOR user (provisioned like
// natively: own queues + read/passive-declare of every DLQ), not guest. Health must see other
// services' queues, dead letters must be listable and replayable, and event replay must be able
// to publish into another service's work queue.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import t from 'tap';
import { createEvent, createEventConnection, declareTopology, deleteUsers, provisionServiceUsers, queueNames } from '@bank/events';
import { createService } from '@bank/kit';
import { createTestDatabase, createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadAdminConfig } from '../src/config.ts';
import { insertAuditEntry } from '../src/repositories/audit.ts';
import { bearer, CLOSED_URL, waitFor } from './helper.ts';

const rabbitmqctl = async (...args: string[]) => (await promisify(execFile)('rabbitmqctl', ['-q', ...args], { timeout: 60_000 })).stdout;

t.test('as the operator user', async (t) => {
  const tag = randomBytes(3).toString('hex');
  const vhost = `admin-operator-${tag}`;
  const user = `admin-op-${tag}`;
  const password = randomBytes(12).toString('hex');
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  await provisionServiceUsers([{ service: 'admin', user, password, operator: true }], { vhost });
  const db = await createTestDatabase('admin_operator');
  const keys = createTestKeys();
  const guest = createEventConnection(`amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`);
  t.teardown(async () => {
    await guest.close();
    await db.drop();
    await deleteUsers([user]);
    await rabbitmqctl('delete_vhost', vhost);
  });
  // payments' topology, as payments (here: guest) declares it.
  await declareTopology(guest, { service: 'payments', types: ['auth.user.registered'] });
  const payments = queueNames('payments');

  const config = loadAdminConfig({
    DATABASE_URL: db.url,
    REDIS_URL: LOCAL_REDIS_URL,
    RABBITMQ_URL: `amqp://${user}:${password}@127.0.0.1:5672/${encodeURIComponent(vhost)}`,
    AUTH_URL: CLOSED_URL,
    PAYMENTS_URL: CLOSED_URL,
    PROFILE_URL: CLOSED_URL,
    GATEWAY_URL: CLOSED_URL,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  // Events are published by guest here; production maps each source to its own user.
  const admin = await createService({ name: 'admin', config, app: (f, o) => app(f, { ...o, publicKey: keys.publicKey, userForSource: () => 'guest' }) });
  await admin.ready();
  t.teardown(() => admin.close());
  const auth = bearer(keys.sign({ sub: randomUUID(), role: 'ADMIN', sid: randomUUID() }));

  const health = (await admin.inject({ url: '/admin/health', headers: auth })).json();
  const queue = health.queues.find((q: { name: string }) => q.name === payments.work);
  t.same(queue, { name: payments.work, messages: 0, consumers: 0 }, "another service's work queue is visible to the operator");
  t.same(health.deadLetters.find((d: { queue: string }) => d.queue === payments.dlq), { queue: payments.dlq, count: 0 });

  // A dead letter in payments' DLQ: listed, then replayed by the operator.
  const event = createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId: randomUUID(), email: 'op@example.test', name: 'Operator', role: 'CUSTOMER' } });
  const publisher = guest.createPublisher({ confirm: true });
  await publisher.send({ exchange: '', routingKey: payments.dlq, messageId: event.id, type: event.type, userId: 'guest', durable: true, headers: { 'x-dead-letter-reason': 'handler-failed' } }, event);
  await publisher.close();
  const listed = await admin.inject({ url: '/admin/dead-letters?queue=payments', headers: auth });
  t.same(listed.json().items.map((d: { id: string }) => d.id), [event.id]);
  const replayed = await admin.inject({ method: 'POST', url: '/admin/dead-letters/replay', headers: auth, payload: { queue: 'payments' } });
  t.same(replayed.json(), { replayed: 1, eventIds: [event.id] });
  const depth = async (q: string) => (await guest.queueDeclare({ queue: q, passive: true })).messageCount;
  await waitFor(async () => (await depth(payments.work)) === 1 && (await depth(payments.dlq)) === 0, 'the replayed dead letter');
  const channel = await guest.acquire();
  const moved = await channel.basicGet({ queue: payments.work, noAck: true });
  await channel.close();
  t.equal(moved?.userId, user, 'the copy carries the operator as user-id (validated by the broker)');
  t.equal(moved?.headers?.['x-original-user-id'], 'guest', 'and the original publisher');

  // Event replay from the audit log into payments' work queue, as the operator.
  await insertAuditEntry(admin.db, event);
  const replay = await admin.inject({
    method: 'POST',
    url: '/admin/events/replay',
    headers: auth,
    payload: { type: 'auth.user.registered', from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), target: 'payments' },
  });
  t.same(replay.json().eventIds, [event.id]);
  await waitFor(async () => (await depth(payments.work)) === 1, 'the replayed event');
});
