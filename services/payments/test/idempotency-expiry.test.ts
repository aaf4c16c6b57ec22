// Idempotency keys expire (IDEMPOTENCY_KEY_TTL_HOURS, 24 h by default): a replay within the TTL
// returns the original payment; after it the same key makes a new payment (documented in the
// README); expired keys (and sent outbox rows) are deleted by the retention job.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { buildPayments, registerUser } from './helper.ts';

t.test('an expired Idempotency-Key is free again and is pruned', async (t) => {
  const app = await buildPayments(t, { IDEMPOTENCY_KEY_TTL_HOURS: '24', RETENTION_INTERVAL_MS: '0' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const body = { recipientId: bob.id, amount: 1200, currency: 'EUR', type: 'instant', description: 'Books' };
  const post = (key: string, payload: object = body) =>
    app.inject({ method: 'POST', url: '/payments', headers: { ...alice.headers, 'idempotency-key': key }, payload });
  const age = (key: string, hours: number) =>
    app.db.execute(sql`update idempotency_keys set created_at = now() - make_interval(hours => ${hours}) where key = ${key}`);
  const keyRows = async () => Number((await app.db.execute(sql`select count(*)::int as n from idempotency_keys`))[0]!.n);

  const key = randomUUID();
  const first = await post(key);
  t.equal(first.statusCode, 201);

  await age(key, 23);
  const within = await post(key);
  t.equal(within.headers['idempotent-replayed'], 'true', '23 h later: still a replay');
  t.equal(within.json().id, first.json().id);

  await age(key, 25);
  const after = await post(key);
  t.equal(after.statusCode, 201, '25 h later: the key is free again');
  t.notOk(after.headers['idempotent-replayed']);
  t.not(after.json().id, first.json().id, 'a new payment');
  const again = await post(key, { ...body, amount: 999 });
  t.equal(again.statusCode, 422, 'and the re-claimed key is bound to its new request');

  // Retention: an expired key is deleted, a fresh one stays.
  const old = randomUUID();
  t.equal((await post(old)).statusCode, 201);
  await age(old, 48);
  const before = await keyRows();
  const result = await app.events.retention!.runOnce();
  t.equal(result['payments:idempotency-keys']?.deleted, 1, 'one expired key deleted');
  t.equal(await keyRows(), before - 1);
  const [left] = await app.db.execute(sql`select count(*)::int as n from idempotency_keys where key = ${key}`);
  t.equal(left!.n, 1, 'the live key is kept');
});
