// addToOutbox: the rows and the relays' wake-up (NOTIFY outbox) in one statement of the caller's
// transaction — both at its commit; a rolled-back transaction leaves no row.
import t from 'tap';
import { waitFor } from '@bank/kit/testing';
import { sql } from 'drizzle-orm';
import { addToOutbox, OUTBOX_CHANNEL, outboxInsertStatement } from '../src/index.ts';
import { paymentCreated } from './helpers/events.ts';
import { createDb } from './helpers/infra.ts';

t.test('rows and NOTIFY at commit; no row after a rollback', async (t) => {
  const db = await createDb('outbox_notify');
  t.teardown(() => db.drop());
  let notified = 0;
  const listener = await db.sql.listen(OUTBOX_CHANNEL, () => (notified += 1));
  t.teardown(() => listener.unlisten());

  await db.db.transaction(async (tx) => {
    await addToOutbox(tx, [paymentCreated(), paymentCreated()]);
  });
  await waitFor(() => notified === 1, 'the NOTIFY of the committed transaction');
  const [rows] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(rows!.n, 2, 'both rows');

  await t.rejects(
    db.db.transaction(async (tx) => {
      await addToOutbox(tx, paymentCreated());
      throw new Error('business rule failed');
    }),
  );
  await db.db.transaction(async (tx) => addToOutbox(tx, paymentCreated()));
  await waitFor(() => notified === 2, 'the next committed transaction’s NOTIFY');
  const [after] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(after!.n, 3, 'the rolled-back row is not there');
});

t.test('outboxInsertStatement inside the caller\'s own WITH: the rows, and the NOTIFY at commit', async (t) => {
  const db = await createDb('outbox_statement');
  t.teardown(() => db.drop());
  let notified = 0;
  const listener = await db.sql.listen(OUTBOX_CHANNEL, () => (notified += 1));
  t.teardown(() => listener.unlisten());

  // The outer query does not read the CTE: it runs anyway, RETURNING (the NOTIFY) included.
  await db.db.transaction(async (tx) => {
    await tx.execute(sql`with events as (${outboxInsertStatement([paymentCreated(), paymentCreated()])}) select 1`);
  });
  await waitFor(() => notified === 1, 'one NOTIFY for the committed transaction');
  const [rows] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
  t.equal(rows!.n, 2, 'both rows');
  t.throws(() => outboxInsertStatement({ ...paymentCreated(), type: 'no.such.type' } as never), 'validated before anything is written');
});
