// A processor batch invalidates the cached reads of every payment it changed: a batch of 15
// payments carries 18 cache tags (each payment's, both parties', "all"), more than one cache entry
// may carry — the invalidation used to throw there (CacheKeyError), leaving the API serving
// "pending" until the entries' TTL and cutting the worker's drain short.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildPayments, pay, registerUser, waitFor } from './helper.ts';

t.test('a batch larger than an entry’s tag limit: the API shows every payment’s new status', async (t) => {
  // The step delay keeps the payments pending until the test makes them due.
  const app = await buildPayments(t, { PROCESSOR_STEP_DELAY_MS: '600000', PROCESSOR_POLL_INTERVAL_MS: '60000' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const ids: string[] = [];
  for (let i = 0; i < 15; i++) ids.push((await pay(app, alice, bob, { amount: 1000 + i })).id);
  const status = async (id: string) => (await app.inject({ url: `/payments/${id}`, headers: alice.headers })).json().status as string;
  for (const id of ids) t.equal(await status(id), 'pending', 'read once: now cached');
  // Accepted by the processor (first step scheduled), then made due at once: one batch.
  await waitFor(async () => {
    const [row] = await app.db.execute(sql`select count(*)::int as n from payments where next_step_at is not null`);
    return (row as { n: number }).n === ids.length;
  }, 'all accepted');
  await app.db.execute(sql`update payments set next_step_at = now() - interval '1 second'`);
  t.equal(await app.processor!.runOnce(), ids.length, 'one drain took the batch');
  t.same(await Promise.all(ids.map(status)), ids.map(() => 'processing'), 'no stale cached read');
});
