// The create's pipelined transaction (src/repositories/pipelined-tx.ts): BEGIN goes with the first
// statement and COMMIT with the last, and it is still all or nothing — a failing last statement, a
// body that throws, a body that ends without `commitAfter` — on a pool of one connection, which
// must come back usable (not left inside a transaction) every time.
import t from 'tap';
import postgres from 'postgres';
import { createTestDatabase } from '@bank/kit/testing';
import { pipelinedTransaction } from '../src/repositories/pipelined-tx.ts';
import { countRoundTrips } from './round-trips.ts';

t.test('pipelined transaction', async (t) => {
  const db = await createTestDatabase('pipelined');
  const proxy = await countRoundTrips();
  const statements: string[] = [];
  const pool = postgres(proxy.url(db.url), { max: 1, onnotice: () => {}, debug: (_c, query) => statements.push(query) });
  t.teardown(async () => {
    await pool.end();
    await proxy.close();
    await db.drop();
  });
  await pool`create table items (id int primary key, note text not null)`;
  const ids = async () => (await pool<Array<{ id: number }>>`select id from items order by id`).map((r) => r.id);
  // Two statements in a row get two transaction ids unless the connection was left inside a
  // transaction (an aborted one fails them).
  const xid = async () => (await pool<Array<{ xid: string }>>`select txid_current()::text as xid`)[0]!.xid;
  const outsideTransaction = async () => (await xid()) !== (await xid());

  await t.test('commits in two round trips: BEGIN with the first statement, COMMIT with the last', async (t) => {
    statements.length = 0;
    proxy.reset();
    const rows = await pipelinedTransaction(pool, async (tx) => {
      await tx.client`insert into items values (1, 'first')`;
      return tx.commitAfter(tx.client<Array<{ id: number }>>`insert into items values (2, 'second') returning id`);
    });
    t.same(rows.map((r) => r.id), [2]);
    t.equal(proxy.count, 2, 'two round trips');
    t.same(statements.map((s) => s.split(' ')[0]!.toLowerCase()), ['begin', 'insert', 'insert', 'commit']);
    t.same(await ids(), [1, 2]);
  });

  await t.test('a failing last statement keeps nothing (COMMIT of an aborted transaction rolls back)', async (t) => {
    await t.rejects(
      pipelinedTransaction(pool, async (tx) => {
        await tx.client`insert into items values (3, 'kept only with the next')`;
        return tx.commitAfter(tx.client`insert into items values (1, 'duplicate key')`);
      }),
      { code: '23505' },
    );
    t.same(await ids(), [1, 2], 'the first insert was rolled back');
    t.ok(await outsideTransaction(), 'the connection is back outside any transaction');
  });

  await t.test('a body that throws rolls back', async (t) => {
    await t.rejects(
      pipelinedTransaction(pool, async (tx) => {
        await tx.client`insert into items values (4, 'rolled back')`;
        throw new Error('rejected by the use-case');
      }),
      { message: 'rejected by the use-case' },
    );
    t.same(await ids(), [1, 2]);
  });

  await t.test('a failing first statement rolls back', async (t) => {
    await t.rejects(
      pipelinedTransaction(pool, async (tx) => {
        await tx.client`insert into items values (2, 'duplicate key')`;
      }),
      { code: '23505' },
    );
    t.ok(await outsideTransaction(), 'the connection is back outside any transaction');
  });

  await t.test('a body that ends without commitAfter is committed after it', async (t) => {
    const note = await pipelinedTransaction(pool, async (tx) => {
      await tx.client`insert into items values (5, 'committed at the end')`;
      return 'done';
    });
    t.equal(note, 'done');
    t.same(await ids(), [1, 2, 5]);
  });
});
