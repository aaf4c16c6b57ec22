// RabbitMQ down (this service's connection dropped and refused through a fault proxy; the shared
// broker keeps running): payments are still created — their events wait in the outbox — and the
// relay publishes them all once the broker is reachable again.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { createFaultProxy } from '@bank/kit/fault-proxy';
import { buildPayments, idem, RABBITMQ_URL, registerUser, waitFor } from './helper.ts';

t.test('writes succeed through the outbox while RabbitMQ is down, and catch up after', async (t) => {
  const proxy = await createFaultProxy({ host: '127.0.0.1', port: 5672 });
  t.teardown(() => proxy.close());
  const app = await buildPayments(t, { RABBITMQ_URL: proxy.url(RABBITMQ_URL), PROCESSOR_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const unsent = async () => Number((await app.db.execute(sql`select count(*)::int as n from outbox where sent_at is null`))[0]!.n);
  await waitFor(async () => (await unsent()) === 0, 'the outbox to drain before the fault');

  await proxy.down();
  await waitFor(async () => (await app.inject({ url: '/health/ready' })).statusCode === 503, 'readiness to report RabbitMQ down');
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({
      method: 'POST',
      url: '/payments',
      headers: { ...alice.headers, ...idem() },
      payload: { recipientId: bob.id, amount: 100 + i, currency: 'EUR', type: 'instant' },
    });
    t.equal(res.statusCode, 201, `payment ${i} created while the broker is down`);
    ids.push(res.json().id);
  }
  t.ok((await unsent()) >= 5, 'their events wait in the outbox');

  await proxy.up();
  await waitFor(async () => (await unsent()) === 0, 'the relay to publish every waiting event', 40_000, 100);
  const [published] = await app.db.execute(
    sql`select count(*)::int as n from outbox where sent_at is not null and payload->'data'->>'paymentId' in ${ids}`,
  );
  t.ok(Number(published!.n) >= 5, 'every payment event was published after the broker came back');
  t.equal((await app.inject({ url: '/health/ready' })).statusCode, 200, 'ready again');
});
