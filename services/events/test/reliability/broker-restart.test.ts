// 1. Broker restart (stop_app / start_app) under a steady stream: everything delivered, nothing twice.
// 4. Broker down when the business transaction commits: published once the broker is back.
// Teardown restarts the broker app even when an assertion failed mid-outage.
import t from 'tap';
import { paymentCreated } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { ensureBrokerRunning, sleep, stopBroker, waitFor } from '../helpers/infra.ts';

t.teardown(ensureBrokerRunning);

t.test('broker restart while publishing a steady stream', async (t) => {
  const hub = await createHub(t, 'restart');
  await hub.consume({ concurrency: 4 });
  await hub.relay();
  const ids: string[] = [];
  let producing = true;
  // ≈ 200 events/s, each in its own business transaction, for the whole test.
  const producer = (async () => {
    while (producing) {
      const event = paymentCreated();
      await hub.commit([event]);
      ids.push(event.id);
      await sleep(5);
    }
  })();
  await sleep(1_500);
  t.ok((await hub.effects()).length > 0, 'flowing before the restart');
  await stopBroker();
  await sleep(2_000);
  await ensureBrokerRunning();
  await sleep(1_500);
  producing = false;
  await producer;
  t.ok(ids.length > 300, `produced ${ids.length} events`);
  await waitFor(async () => (await hub.effects()).length >= ids.length, 60_000, 'all effects');
  await sleep(500); // late duplicates would show up here
  await assertExactlyOnce(t, hub, ids);
});

t.test('broker down at commit: the event is published after the broker returns', async (t) => {
  const hub = await createHub(t, 'down');
  await hub.consume();
  await hub.relay({ pollIntervalMs: 200 });
  await stopBroker();
  const event = paymentCreated();
  await hub.commit([event]); // the business transaction does not depend on the broker
  await sleep(1_500);
  const [row] = await hub.db.sql`select sent_at from outbox where event_id = ${event.id}`;
  t.equal(row!.sent_at, null, 'still unsent while the broker is down');
  t.equal((await hub.effects()).length, 0);
  await ensureBrokerRunning();
  await waitFor(async () => (await hub.effects()).length === 1, 30_000, 'the event after the broker returns');
  await assertExactlyOnce(t, hub, [event.id]);
  const [sent] = await hub.db.sql`select sent_at from outbox where event_id = ${event.id}`;
  t.not(sent!.sent_at, null, 'marked sent');
});
