// The Fastify plugin against the kit's db plugin, a real broker and database.
import t from 'tap';
import Fastify from 'fastify';
import { sql } from 'drizzle-orm';
import { database, health } from '@bank/kit';
import { eventsFastifyPlugin } from '../src/plugin.ts';
import { paymentCreated } from './helpers/events.ts';
import { createDb, createVhost, waitFor } from './helpers/infra.ts';

t.test('plugin: publishInTx → relay → consumer handler, closed cleanly', async (t) => {
  const vhost = await createVhost('plugin');
  const testDb = await createDb('plugin');
  t.teardown(async () => {
    await vhost.delete();
    await testDb.drop();
  });
  const app = Fastify();
  await app.register(health);
  await app.register(database, { url: testDb.url });
  await app.register(eventsFastifyPlugin, {
    service: 'admin',
    url: vhost.url(),
    relay: { pollIntervalMs: 200 },
    consumer: { userForSource: () => 'guest' },
    handlers: {
      'payments.payment.created': async (event, tx) => {
        await tx.execute(sql`insert into effects (consumer, event_id) values ('admin', ${event.id}::uuid)` as never);
      },
    },
  });
  await app.ready();
  t.ok(app.events.connection.ready);
  t.ok(app.events.relay && app.events.consumer);
  const event = paymentCreated();
  await app.db.transaction(async (tx) => app.events.publishInTx(tx, event));
  await waitFor(async () => (await testDb.sql`select 1 from effects where event_id = ${event.id}`).length === 1, 10_000, 'the handled event');
  t.same((await app.health.run()).rabbitmq?.status, 'up');
  await app.close();
  t.notOk(app.events.connection.ready, 'connection closed on close');
});
