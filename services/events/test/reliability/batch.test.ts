// Batched inbox transactions (consumer option `batch`): exactly once, per-aggregate order, a
// poisonous event inside a batch (only its SAVEPOINT is rolled back; the rest commit), and a batch
// whose COMMIT fails (every message handled again alone; nothing acked before it is durable).
// Batch handlers: batch-handler.test.ts.
import t from 'tap';
import { countDeadLetters, listDeadLetters, type ConsumeOutcome } from '../../src/index.ts';
import { paymentCreated } from '../helpers/events.ts';
import { createHub, type Hub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { sleep, waitFor } from '../helpers/infra.ts';

/** Records the top-level transaction of every effect (savepoints share it). */
async function trackTransactions(hub: Hub): Promise<void> {
  await hub.db.sql`alter table effects add column tx bigint not null default txid_current()`;
}

async function transactionsOf(hub: Hub, ids: string[]): Promise<number> {
  const [row] = await hub.db.sql`select count(distinct tx)::int as n from effects where event_id = any(${ids}::uuid[])`;
  return row!.n as number;
}

t.test('batch mode: 1,000 events exactly once, in few transactions, per-aggregate order kept', async (t) => {
  const hub = await createHub(t, 'batch');
  await trackTransactions(hub);
  const outcomes: ConsumeOutcome[] = [];
  await hub.consume({ batch: { size: 50, maxWaitMs: 10 }, onOutcome: (o) => outcomes.push(o) });
  const aggregates = Array.from({ length: 20 }, (_, i) => `0190b8e0-0000-7000-8000-${String(i).padStart(12, '0')}`);
  const ids: string[] = [];
  for (let seq = 1; seq <= 50; seq += 1) {
    const events = aggregates.map((aggregate) => paymentCreated(aggregate, seq));
    ids.push(...events.map((event) => event.id));
    await hub.commit(events);
  }
  await hub.relay({ batchSize: 200 });
  await waitFor(async () => (await hub.effects()).length >= ids.length, 60_000, '1,000 effects');
  await sleep(200);
  await assertExactlyOnce(t, hub, ids);
  t.equal(outcomes.filter((o) => o.result === 'processed').length, ids.length, 'every event reported processed once');

  const transactions = await transactionsOf(hub, ids);
  t.ok(transactions <= ids.length / 5, `1,000 events committed in ${transactions} transactions (batches)`);

  const lastSeq = new Map<string, number>();
  let outOfOrder = 0;
  for (const effect of await hub.effects()) {
    if (effect.seq !== (lastSeq.get(effect.aggregate_id!) ?? 0) + 1) outOfOrder += 1;
    lastSeq.set(effect.aggregate_id!, effect.seq!);
  }
  t.equal(outOfOrder, 0, 'every aggregate applied 1, 2, … 50 in order');
});

t.test('batch mode: a poisonous event is retried and dead-lettered, the rest of its batch commits', async (t) => {
  const hub = await createHub(t, 'batchpoison');
  await trackTransactions(hub);
  const events = Array.from({ length: 20 }, () => paymentCreated());
  const poison = events[7]!;
  const healthy = events.filter((event) => event !== poison);
  let attempts = 0;
  const outcomes: ConsumeOutcome[] = [];
  await hub.consume({
    batch: { size: 50, maxWaitMs: 50 },
    failAfterWrite: true, // the poison's own effect row must be rolled back with its savepoint
    failWhen: (event) => {
      if (event.id !== poison.id) return false;
      attempts += 1;
      return true;
    },
    onOutcome: (o) => outcomes.push(o),
  });
  await hub.commit(events);
  await hub.relay();
  const connection = hub.connect();
  await waitFor(async () => (await countDeadLetters(connection, { service: 'admin' })) === 1, 20_000, 'the poison event in the DLQ');
  await sleep(200);

  // Each delivery runs the poison's handler twice: the optimistic savepoint-less attempt (rolled
  // back as a whole), then the rerun with a savepoint per message.
  t.equal(attempts, 8, 'first delivery + exactly 3 retries, two attempts each');
  t.equal(outcomes.filter((o) => o.result === 'retried').length, 3);
  await assertExactlyOnce(t, hub, healthy.map((e) => e.id));
  t.ok((await transactionsOf(hub, healthy.map((e) => e.id))) < healthy.length, 'healthy events shared a transaction with the poison');
  const [dead] = await listDeadLetters(connection, { service: 'admin' });
  t.match(dead, { eventId: poison.id, reason: 'handler-failed', retries: 3, detail: /poison/ });
  const [inbox] = await hub.db.sql`select count(*)::int as n from inbox where event_id = ${poison.id}::uuid`;
  t.equal(inbox!.n, 0, 'no inbox row for the failed event');
});

t.test('batch mode: a failing COMMIT replays the batch one by one, nothing lost or doubled', async (t) => {
  const hub = await createHub(t, 'batchcommit');
  // A deferred constraint trigger fails the COMMIT (not any statement) when seq = 666 is written.
  await hub.db.sql.unsafe(`
    create function refuse_666() returns trigger language plpgsql as $$
    begin if new.seq = 666 then raise exception 'refused at commit'; end if; return null; end $$;
    create constraint trigger refuse_666 after insert on effects deferrable initially deferred
      for each row execute function refuse_666();`);
  const events = Array.from({ length: 30 }, (_, i) => paymentCreated(undefined, i === 11 ? 666 : 1));
  const doomed = events[11]!;
  const outcomes: ConsumeOutcome[] = [];
  await hub.consume({ batch: { size: 50, maxWaitMs: 50 }, onOutcome: (o) => outcomes.push(o) });
  await hub.commit(events);
  await hub.relay();
  const connection = hub.connect();
  await waitFor(async () => (await countDeadLetters(connection, { service: 'admin' })) === 1, 30_000, 'the doomed event in the DLQ');
  await sleep(200);

  const others = events.filter((e) => e !== doomed).map((e) => e.id);
  await assertExactlyOnce(t, hub, others);
  const [dead] = await listDeadLetters(connection, { service: 'admin' });
  t.match(dead, { eventId: doomed.id, reason: 'handler-failed', detail: /refused at commit/ });
  t.equal(outcomes.filter((o) => o.result === 'processed').length, others.length, 'each other event processed exactly once');
  const [inbox] = await hub.db.sql`select count(*)::int as n from inbox`;
  t.equal(inbox!.n, others.length, 'inbox holds exactly the committed events');
});
