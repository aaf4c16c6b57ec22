// The relay's claim on an outbox that looks like one after hours of traffic: many sent rows (with
// the dead versions their lease and mark-sent updates leave until a vacuum), and a backlog of
// unsent ones. Its plan must read the first entries of the unsent index in id order and probe the
// aggregate index once per candidate — never scan the table, sort or hash the backlog — whether
// the table was never analyzed (autovacuum off) or its statistics are from when the backlog was
// small. EXPLAIN without ANALYZE: the plan is what is checked, not a timing. Then what it claims.
import t, { type Test } from 'tap';
import { createSql } from '@bank/kit/db';
import { claimOutboxRows } from '../src/relay-claim.ts';
import { RELAY_POOL_OPTIONS } from '../src/relay.ts';
import { createDb, type TestDb } from './helpers/infra.ts';

const BATCH = 200;
const LEASE_MS = 30_000;

/** `n` rows of aggregates `<prefix>1..n` (one row each), sent or not; payloads of a real event's size. */
async function insertRows(db: TestDb, prefix: string, n: number) {
  await db.sql`
    insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload)
    select gen_random_uuid(), 'payment', ${prefix} || g, 'payments.payment.created',
           jsonb_build_object('version', 1, 'source', 'payments', 'padding', repeat('x', 600))
    from generate_series(1, ${n}) g`;
}

/** What the relay does to each row it publishes: a lease, then the mark (each a new row version). */
async function leaseAndMarkSent(db: TestDb) {
  await db.sql`update outbox set claimed_until = now() + interval '30 seconds' where sent_at is null`;
  await db.sql`update outbox set sent_at = now(), claimed_until = null where sent_at is null`;
}

async function claimPlan(relaySql: ReturnType<typeof createSql>): Promise<string> {
  const { string } = await claimOutboxRows(relaySql, BATCH, LEASE_MS).describe();
  const rows = await relaySql.unsafe<{ 'QUERY PLAN': string }[]>(`explain (costs off) ${string}`, [BATCH, LEASE_MS]);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

function assertBoundedPlan(t: Test, plan: string) {
  t.match(plan, /Limit[\s\S]*LockRows[\s\S]*Index Scan using outbox_unsent_idx on outbox/, 'candidates: the first entries of the unsent index, in id order, locked');
  t.match(plan, /SubPlan[\s\S]*Index (Only )?Scan using outbox_unsent_aggregate_idx on outbox p\s+Index Cond: \(\(aggregate_type = c\.aggregate_type\) AND \(aggregate_id = c\.aggregate_id\) AND \(id < c\.id\)\)/, 'one aggregate-index probe per candidate');
  for (const node of ['Seq Scan', 'Sort', 'Hash', 'Bitmap']) t.notOk(plan.includes(node), `no ${node}`);
}

t.test('the claim reads what it claims, not the table or the backlog', async (t) => {
  const db = await createDb('claim_plan');
  const relaySql = createSql(db.url, 1, RELAY_POOL_OPTIONS);
  t.teardown(async () => {
    await relaySql.end();
    await db.drop();
  });
  const [mode] = await relaySql<{ plan_cache_mode: string }[]>`show plan_cache_mode`;
  t.equal(mode!.plan_cache_mode, 'force_custom_plan', "the relay's pool plans each claim with its parameters");

  // 30,000 rows published, then a backlog of 300; never analyzed.
  for (let i = 0; i < 3; i++) {
    await insertRows(db, `sent${i}-`, 10_000);
    await leaseAndMarkSent(db);
  }
  await insertRows(db, 'backlog-', 300);
  t.test('never analyzed', async (t) => assertBoundedPlan(t, await claimPlan(relaySql)));

  // Statistics taken while 300 rows were unsent, then the backlog grows to 10,300: the estimate is
  // now far too low — what made the earlier anti-join hash every unsent row.
  await db.sql`analyze outbox`;
  await insertRows(db, 'burst-', 10_000);
  t.test('statistics older than the backlog', async (t) => assertBoundedPlan(t, await claimPlan(relaySql)));
});

t.test('what it claims: the oldest rows, never one behind an older unsent row of its aggregate outside the claim', async (t) => {
  const db = await createDb('claim_rows');
  t.teardown(() => db.drop());
  const add = (aggregate: string) => db.sql`
    insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload)
    values (gen_random_uuid(), 'payment', ${aggregate}, 'payments.payment.created', '{"version": 1}'::jsonb)
    returning id`;
  const [a1] = await add('a');
  const [b1] = await add('b');
  const [a2] = await add('a');
  const [b2] = await add('b');
  const [c1] = await add('c');
  // a1 is in flight (another batch's lease): a2 must wait for it; b1 and b2 go together, in order.
  await db.sql`update outbox set claimed_until = now() + interval '30 seconds' where id = ${a1!.id}`;

  const claimed = await claimOutboxRows(db.sql, 10, LEASE_MS);
  t.same(
    claimed.map((r) => r.id),
    [b1!.id, b2!.id, c1!.id].map(String),
    'b1, b2 and c1 leased; a2 left for after a1',
  );
  t.same(claimed[0]!.aggregate, 'payment:b');

  const again = await claimOutboxRows(db.sql, 10, LEASE_MS);
  t.same(again, [], 'nothing more while a1 and the claimed rows are leased');

  await db.sql`update outbox set sent_at = now(), claimed_until = null where id = ${a1!.id}`;
  t.same(
    (await claimOutboxRows(db.sql, 10, LEASE_MS)).map((r) => r.id),
    [String(a2!.id)],
    'a2 once a1 is sent',
  );

  // A batch limit that cuts an aggregate's chain: the older row is claimed, the newer one waits.
  const [d1] = await add('d');
  await add('d');
  t.same((await claimOutboxRows(db.sql, 1, LEASE_MS)).map((r) => r.id), [String(d1!.id)]);
  t.same((await claimOutboxRows(db.sql, 1, LEASE_MS)).map((r) => r.id), [], 'd2 waits for d1 (in flight)');
});
