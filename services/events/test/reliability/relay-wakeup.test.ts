// The relay's sleep: with a poll of a minute, only NOTIFY can wake it. Business transactions
// notify only while a relay sleeps (RELAY_SLEEP_LOCK), so a wake-up lost between "the relay saw
// nothing to claim" and "the relay sleeps" would leave rows unsent for the minute: single-event
// transactions committed at irregular moments, many of them while the relay goes to sleep, must
// all be published within seconds.
import t from 'tap';
import { paymentCreated } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { waitFor } from '../helpers/infra.ts';

t.test('no lost wake-up: rows committed around the relay going to sleep are published at once', async (t) => {
  const hub = await createHub(t, 'wakeup');
  await hub.relay({ pollIntervalMs: 60_000 });
  const unsent = async () => (await hub.db.sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null`)[0]!.n;

  // Idle relay, one event at a time: each one is woken by its NOTIFY.
  for (let i = 0; i < 5; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 150)); // the relay is asleep again
    await hub.commit([paymentCreated()]);
    await waitFor(async () => (await unsent()) === 0, 5_000, `event ${i + 1} published after its NOTIFY`);
  }

  // 400 single-event transactions, 8 at a time, at irregular gaps of 0–6 ms.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 400) {
        next += 1;
        await hub.commit([paymentCreated()]);
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 7)));
      }
    }),
  );
  await waitFor(async () => (await unsent()) === 0, 10_000, 'every row published (a lost wake-up waits for the 60 s poll)');
  const [sent] = await hub.db.sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is not null`;
  t.equal(sent!.n, 405, 'all 405 published');
});

t.test('two idle replicas: the one that cannot take the sleep lock is woken by the NOTIFYs sent for the other', async (t) => {
  const hub = await createHub(t, 'wakeup2');
  await Promise.all([hub.relay({ pollIntervalMs: 60_000 }), hub.relay({ pollIntervalMs: 60_000 })]);
  const unsent = async () => (await hub.db.sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is null`)[0]!.n;
  const waits: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 400)); // both asleep again (one past its 200 ms lock wait)
    const started = Date.now();
    await hub.commit([paymentCreated(), paymentCreated()]);
    await waitFor(async () => (await unsent()) === 0, 5_000, `commit ${i + 1} published after its NOTIFY`);
    waits.push(Date.now() - started);
  }
  t.comment(`commit → published: ${waits.join(', ')} ms`);
  const [sent] = await hub.db.sql<{ n: number }[]>`select count(*)::int as n from outbox where sent_at is not null`;
  t.equal(sent!.n, 20, 'all 20 published, none by the one-minute poll');
});
