// Batch handlers (src/batch-handler.ts) in batched inbox transactions: one call for a run of
// messages, exactly once, per-aggregate order; a handler failing in a call re-runs the batch with
// one call per message under savepoints, so only the poison is retried and dead-lettered.
// (Its own file: the batch.test.ts files together exceed the per-file timeout on a loaded machine.)
import t from 'tap';
import { countDeadLetters, type ConsumeOutcome } from '../../src/index.ts';
import { paymentCreated } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { sleep, waitFor } from '../helpers/infra.ts';

t.test('batch handler: one call per run of messages, exactly once, order kept; a poison is retried alone', async (t) => {
  const hub = await createHub(t, 'batchhandler');
  const aggregates = Array.from({ length: 10 }, (_, i) => `0190b8e0-0000-7000-8000-${String(i).padStart(12, '0')}`);
  const events = [];
  for (let seq = 1; seq <= 20; seq += 1) events.push(...aggregates.map((aggregate) => paymentCreated(aggregate, seq)));
  const poison = events[57]!;
  const healthy = events.filter((event) => event !== poison);
  const calls: number[] = [];
  let poisonAttempts = 0;
  const outcomes: ConsumeOutcome[] = [];
  await hub.consume({
    batch: { size: 50, maxWaitMs: 50 },
    batchHandler: (n) => calls.push(n),
    failAfterWrite: true, // the call's writes (the healthy events' too) must be rolled back with it
    failWhen: (event) => {
      if (event.id !== poison.id) return false;
      poisonAttempts += 1;
      return true;
    },
    onOutcome: (o) => outcomes.push(o),
  });
  await hub.commit(events);
  await hub.relay({ batchSize: 200 });
  const connection = hub.connect();
  await waitFor(async () => (await countDeadLetters(connection, { service: 'admin' })) === 1, 30_000, 'the poison event in the DLQ');
  await sleep(200);

  await assertExactlyOnce(t, hub, healthy.map((e) => e.id));
  t.equal(outcomes.filter((o) => o.result === 'processed').length, healthy.length, 'every healthy event reported processed once');
  t.ok(calls.some((n) => n > 1), `runs of messages shared a call (largest ${Math.max(...calls)})`);
  t.ok(calls.length < events.length / 2, `${calls.length} calls for ${events.length} events (the poison's batch re-ran one call per message)`);
  // Each delivery: one call with its run (rolled back as a whole), then alone under a savepoint.
  t.equal(poisonAttempts, 8, 'first delivery + exactly 3 retries, two attempts each');
  const lastSeq = new Map<string, number>();
  let outOfOrder = 0;
  for (const effect of await hub.effects()) {
    if (effect.seq! <= (lastSeq.get(effect.aggregate_id!) ?? 0)) outOfOrder += 1;
    lastSeq.set(effect.aggregate_id!, effect.seq!);
  }
  t.equal(outOfOrder, 0, 'every aggregate applied in increasing order (the poison never applied)');
  const [inbox] = await hub.db.sql`select count(*)::int as n from inbox where event_id = ${poison.id}::uuid`;
  t.equal(inbox!.n, 0, 'no inbox row for the failed event');
});
