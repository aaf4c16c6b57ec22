// addToOutbox: the rows, and the relays' wake-up (NOTIFY outbox) only while a relay sleeps
// (it holds RELAY_SLEEP_LOCK), in one statement of the caller's transaction — both at its commit;
// a rolled-back transaction leaves no row.
import t from 'tap';
import { waitFor } from '@bank/kit/testing';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { addToOutbox, OUTBOX_CHANNEL, outboxInsertStatement, RELAY_SLEEP_LOCK } from '../src/index.ts';
import { paymentCreated, userRegistered } from './helpers/events.ts';
import { createDb } from './helpers/infra.ts';

t.test('rows at commit; NOTIFY only while a relay sleeps; no row after a rollback', async (t) => {
  const db = await createDb('outbox_notify');
  t.teardown(() => db.drop());
  let notified = 0;
  const listener = await db.sql.listen(OUTBOX_CHANNEL, () => (notified += 1));
  t.teardown(() => listener.unlisten());
  // A sleeping relay, as relay.ts takes the lock: exclusively, on a session of its own.
  const relaySession = await db.sql.reserve(); // given back at the end (before the pool is ended)
  const sleep = () => relaySession`select pg_advisory_lock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;
  const wake = () => relaySession`select pg_advisory_unlock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;

  // Every relay awake: no NOTIFY (checked below: notifications arrive in commit order).
  await db.db.transaction(async (tx) => addToOutbox(tx, [paymentCreated(), paymentCreated()]));
  await sleep();
  await db.db.transaction(async (tx) => addToOutbox(tx, paymentCreated()));
  await waitFor(() => notified >= 1, 'the NOTIFY of the transaction committed while the relay slept');
  t.equal(notified, 1, 'one NOTIFY: none from the transaction committed while every relay was awake');
  const [rows] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(rows!.n, 3, 'every row, notified or not');

  await t.rejects(
    db.db.transaction(async (tx) => {
      await addToOutbox(tx, paymentCreated());
      throw new Error('business rule failed');
    }),
  );
  await wake();
  await db.db.transaction(async (tx) => addToOutbox(tx, paymentCreated()));
  await sleep();
  await db.db.transaction(async (tx) => addToOutbox(tx, paymentCreated()));
  await waitFor(() => notified >= 2, 'the next NOTIFY while the relay slept');
  t.equal(notified, 2, 'no NOTIFY from the rolled-back transaction nor from the one committed while the relay was awake');
  const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(after!.n, 5, 'the rolled-back row is not there');
  await wake();
  relaySession.release();
});

t.test('a relay going to sleep waits for the transactions that saw it awake', async (t) => {
  const db = await createDb('outbox_sleep_wait');
  t.teardown(() => db.drop());
  const relaySession = await db.sql.reserve();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let inserted!: () => void;
  const wrote = new Promise<void>((resolve) => (inserted = resolve));
  const business = db.db.transaction(async (tx) => {
    await addToOutbox(tx, paymentCreated()); // relay awake: takes the lock shared, no NOTIFY
    inserted();
    await held;
  });
  await wrote;
  let locked = false;
  const lock = relaySession`select pg_advisory_lock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`.then(() => (locked = true));
  await new Promise((resolve) => setTimeout(resolve, 200));
  t.notOk(locked, 'the relay cannot take the sleep lock while the transaction is open');
  release();
  await business;
  await lock;
  const [rows] = await relaySession<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(rows!.n, 1, 'once it holds the lock, the committed row is visible to its claim');
  await relaySession`select pg_advisory_unlock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;
  relaySession.release();
});

t.test('outboxInsertStatement inside the caller\'s own WITH: the rows, and the NOTIFY at commit while a relay sleeps', async (t) => {
  const db = await createDb('outbox_statement');
  t.teardown(() => db.drop());
  let notified = 0;
  const listener = await db.sql.listen(OUTBOX_CHANNEL, () => (notified += 1));
  t.teardown(() => listener.unlisten());
  const relaySession = await db.sql.reserve();
  const insertTwo = () =>
    db.db.transaction(async (tx) => {
      // The outer query does not read the CTE: it runs anyway, RETURNING (the NOTIFY) included.
      await tx.execute(sql`with events as (${outboxInsertStatement([paymentCreated(), paymentCreated()])}) select 1`);
    });

  await insertTwo(); // every relay awake: no NOTIFY
  await relaySession`select pg_advisory_lock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;
  await insertTwo(); // a relay sleeps: one NOTIFY for the transaction's two rows
  await waitFor(() => notified >= 1, 'the NOTIFY of the transaction committed while the relay slept');
  t.equal(notified, 1, 'one NOTIFY: none while every relay was awake, one (not one per row) while one slept');
  await relaySession`select pg_advisory_unlock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`;
  relaySession.release();
  const [rows] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(rows!.n, 4, 'every row, notified or not');
  t.throws(() => outboxInsertStatement({ ...paymentCreated(), type: 'no.such.type' } as never), 'validated before anything is written');
});

// The per-event statements are constant texts, prepared once per connection: a VALUES list made
// one text per row count (PostgreSQL parsed and planned each, and the connection kept one prepared
// statement per size). Checked on one connection — a transaction's — in pg_prepared_statements.
t.test('addToOutbox: one prepared statement for any number of events, rows in input order', async (t) => {
  const db = await createDb('outbox_prepared');
  t.teardown(() => db.drop());
  const batches = [[paymentCreated()], [paymentCreated(), paymentCreated()], Array.from({ length: 7 }, () => paymentCreated())];
  const prepared = await db.db.transaction(async (tx) => {
    for (const events of batches) await addToOutbox(tx, events);
    return tx.execute<{ statement: string }>(sql`select statement from pg_prepared_statements where statement ilike '%insert into outbox%'`);
  });
  t.equal(prepared.length, 1, 'one prepared statement for 1, 2 and 7 events');
  const rows = await db.sql<{ event_id: string; payload: { id: string } }[]>`select event_id, payload from outbox order by id`;
  t.same(rows.map((r) => r.event_id), batches.flat().map((e) => e.id), 'every row, ids ascending in input order (the relay publishes in id order)');
  t.same(rows.map((r) => r.payload.id), batches.flat().map((e) => e.id), 'payload stored as the envelope (jsonb)');
});

t.test('addToOutbox: payload text with quotes, backslashes and braces survives the array parameter', async (t) => {
  const db = await createDb('outbox_escape');
  t.teardown(() => db.drop());
  const event = userRegistered();
  const awkward = { ...event, data: { ...event.data, name: 'O"Brien, {braced} \\ back\\slash NULL ünïcode' } };
  await db.db.transaction(async (tx) => addToOutbox(tx, [awkward, paymentCreated()]));
  const [row] = await db.sql<{ payload: string }[]>`select payload::text as payload from outbox order by id limit 1`;
  t.same(JSON.parse(row!.payload), awkward, 'the stored envelope equals the one given');
});

t.test('outboxInsertStatement: the same text (and parameter count) for any number of events', async (t) => {
  const dialect = new PgDialect();
  const one = dialect.sqlToQuery(outboxInsertStatement(paymentCreated()));
  const three = dialect.sqlToQuery(outboxInsertStatement([paymentCreated(), paymentCreated(), paymentCreated()]));
  t.equal(three.sql, one.sql, 'one text');
  t.equal(three.params.length, one.params.length, 'one parameter list shape: arrays, not a parameter per row');
});
