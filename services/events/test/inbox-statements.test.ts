// The inbox's per-event statements are constant texts prepared once per connection: the batch's
// claim takes its ids as one array parameter, so batches of any size share one prepared statement
// (before, it was sent unnamed: a Parse/Describe round trip and a parse per batch). Checked on a
// consumer whose database client has ONE connection, so pg_prepared_statements sees all of it.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createEventConsumer, type ConsumeOutcome, type EventHandler, type SqlExecutor } from '../src/index.ts';
import { paymentCreated } from './helpers/events.ts';
import { createHub } from './helpers/harness.ts';
import { waitFor } from './helpers/infra.ts';

t.test('batched inbox: one prepared claim for batches of every size, each event once', async (t) => {
  const hub = await createHub(t, 'inbox_prepared');
  const single = postgres(hub.db.url, { max: 1, onnotice: () => {} });
  t.teardown(() => single.end({ timeout: 5 }));
  const db = drizzle(single);
  const effectCounts: number[] = [];
  const processed: string[] = [];
  const record: EventHandler<'payments.payment.created', SqlExecutor> = async (event, tx) => {
    await tx.execute(sql`insert into effects (consumer, event_id) values ('admin', ${event.id}::uuid)` as never);
  };
  const consumer = await createEventConsumer({
    service: 'admin',
    connection: hub.connect(),
    db,
    handlers: { 'payments.payment.created': record },
    userForSource: () => 'guest',
    onOutcome: (o: ConsumeOutcome) => {
      if (o.result === 'processed') processed.push(o.event.id);
    },
  });
  t.teardown(() => consumer.close());
  await new Promise<void>((resolve) => consumer.consumer.once('ready', () => resolve()));
  await hub.relay({ batchSize: 200 });

  // Committed in groups of 1, 5 and 40, each once the previous one is handled: batches of
  // different sizes (the first is one event).
  const ids: string[] = [];
  for (const size of [1, 5, 40]) {
    const events = Array.from({ length: size }, () => paymentCreated());
    ids.push(...events.map((e) => e.id));
    const before = processed.length;
    await hub.commit(events);
    await waitFor(() => processed.length >= before + size, 30_000, `${size} events handled`);
    const [row] = await single<{ n: number }[]>`select count(*)::int as n from effects`;
    effectCounts.push(row!.n);
  }
  const prepared = await single<{ statement: string }[]>`select statement from pg_prepared_statements
    where statement ilike '%insert into inbox%' and statement not ilike '%pg_prepared_statements%'`;
  t.equal(prepared.length, 1, `one prepared inbox claim (after ${effectCounts.join(', ')} effects): ${prepared.map((p) => p.statement).join(' | ')}`);
  t.same([...processed].sort(), [...ids].sort(), 'every event handled once');
  const [inbox] = await single<{ n: number }[]>`select count(*)::int as n from inbox where consumer = 'admin'`;
  t.equal(inbox!.n, ids.length, 'one inbox row per event');
});
