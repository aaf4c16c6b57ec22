// 5. Per-aggregate order with two relay replicas: 1,000 events over 20 aggregates.
import t from 'tap';
import { paymentCreated } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { waitFor } from '../helpers/infra.ts';

t.test('per-aggregate order preserved with 2 relays (1,000 events)', async (t) => {
  const hub = await createHub(t, 'order');
  await hub.consume({ concurrency: 1 });
  const aggregates = Array.from({ length: 20 }, (_, i) => `0190b8e0-0000-7000-8000-${String(i).padStart(12, '0')}`);
  const ids: string[] = [];
  // Written before the relays start, in interleaved transactions of 25 events.
  for (let seq = 1; seq <= 50; seq += 1) {
    const batch = aggregates.map((aggregate) => paymentCreated(aggregate, seq));
    ids.push(...batch.map((event) => event.id));
    await hub.commit(batch.slice(0, 10));
    await hub.commit(batch.slice(10));
  }
  const [relayA, relayB] = await Promise.all([hub.relay({ batchSize: 7 }), hub.relay({ batchSize: 7 })]);
  t.ok(relayA && relayB);
  await waitFor(async () => (await hub.effects()).length >= 1_000, 60_000, '1,000 effects');
  await assertExactlyOnce(t, hub, ids);

  const effects = await hub.effects();
  const lastSeq = new Map<string, number>();
  let outOfOrder = 0;
  for (const effect of effects) {
    const previous = lastSeq.get(effect.aggregate_id!) ?? 0;
    if (effect.seq !== previous + 1) outOfOrder += 1;
    lastSeq.set(effect.aggregate_id!, effect.seq!);
  }
  t.equal(outOfOrder, 0, 'every aggregate applied 1, 2, … 50 in order');
  t.equal(lastSeq.size, 20);
  const [unsent] = await hub.db.sql`select count(*)::int as n from outbox where sent_at is null`;
  t.equal(unsent!.n, 0, 'outbox drained');
});
