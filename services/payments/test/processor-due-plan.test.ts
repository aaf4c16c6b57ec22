// The processor's due query on a payments table that looks like one after hours of traffic: most
// payments finished (no next step), with the dead row versions their transitions leave until a
// vacuum, and a few hundred due. Its plan must read the first entries of payments_next_step_idx
// in due order — never scan the table or sort — both as a custom plan and as the generic plan a
// prepared statement caches (made here while the table is empty, as at a fresh deployment, and
// kept while nothing analyzes the table). EXPLAIN without ANALYZE: the plan is checked, not a
// timing. The constraint that lets the query drop its status filter is checked too.
import t, { type Test } from 'tap';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { fileURLToPath } from 'node:url';
import { runMigrations } from '@bank/kit/db';
import { createTestDatabase } from '@bank/kit/testing';
import { dueStepsQuery, nextStepQuery } from '../src/repositories/payments.ts';

const MIGRATIONS = fileURLToPath(new URL('../drizzle', import.meta.url));
const BATCH = 100;

type Sql = postgres.Sql | postgres.ReservedSql;

/** `n` payments created, accepted, processing and finished (three row versions each), then `due` due ones. */
async function seed(sql: Sql, n: number, due: number) {
  await sql`
    insert into payments (id, sender_id, recipient_id, recipient_email, amount, currency, type)
    select gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'r@bank.local', 100, 'EUR', 'instant'
    from generate_series(1, ${n + due})`;
  await sql`update payments set next_step_at = now() - interval '1 second'`;
  await sql`update payments set status = 'processing' where id in (select id from payments limit ${n})`;
  await sql`update payments set status = 'completed', next_step_at = null where status = 'processing'`;
}

function assertBoundedPlan(t: Test, plan: string) {
  t.match(plan, /Limit\s+->\s+LockRows\s+->\s+Index Scan using payments_next_step_idx on payments/, 'the first due entries of the index, locked');
  for (const node of ['Seq Scan', 'Sort', 'Bitmap']) t.notOk(plan.includes(node), `no ${node}`);
}

const planText = (rows: Array<Record<string, string>>) => rows.map((r) => r['QUERY PLAN']).join('\n');

/** `execute name(…)` of a prepared statement with drizzle's parameters as literals. */
const executeSql = (name: string, params: unknown[]) =>
  `execute ${name}(${params.map((p) => (typeof p === 'number' ? p : `'${String(p)}'`)).join(', ')})`;

t.test('the due query reads the due steps it takes, not the payments table', async (t) => {
  const database = await createTestDatabase('payments_due_plan');
  await runMigrations(database.url, MIGRATIONS, 'payments-migrations');
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  t.teardown(async () => {
    await sql.end();
    await database.drop();
  });
  const query = dueStepsQuery(drizzle(sql), BATCH).toSQL();
  t.notMatch(/ where (.*) order by /.exec(query.sql)?.[1], /status/, 'no status filter');

  // The generic plan, made while the table is empty and kept once it has grown.
  // The worker's next-wake query alike: the first entry of the same index.
  const next = nextStepQuery(drizzle(sql)).toSQL();
  const connection = await sql.reserve();
  const [dueGeneric, nextGeneric] = await (async () => {
    try {
      await connection.unsafe(`prepare due_steps as ${query.sql}`);
      await connection.unsafe(`prepare next_step as ${next.sql}`);
      await connection`set plan_cache_mode = force_generic_plan`;
      const explain = async () => [
        planText(await connection.unsafe(`explain (costs off) ${executeSql('due_steps', query.params)}`)),
        planText(await connection.unsafe(`explain (costs off) ${executeSql('next_step', next.params)}`)),
      ];
      await explain(); // the generic plans are made now, on the empty table
      await seed(connection, 20_000, 300);
      return await explain();
    } finally {
      connection.release();
    }
  })();
  t.test('as a generic plan made on the empty table', async (t) => assertBoundedPlan(t, dueGeneric!));
  t.test('the next due step, as a generic plan made on the empty table', async (t) => {
    t.match(nextGeneric, /Limit\s+->\s+Index (Only )?Scan using payments_next_step_idx on payments/, 'the first entry of the index');
    for (const node of ['Seq Scan', 'Sort', 'Bitmap']) t.notOk(nextGeneric!.includes(node), `no ${node}`);
  });

  t.test('as a custom plan, never analyzed', async (t) =>
    assertBoundedPlan(t, planText(await sql.unsafe(`explain (costs off) ${query.sql}`, query.params as never[]))),
  );
  await sql`analyze payments`;
  t.test('as a custom plan, analyzed', async (t) =>
    assertBoundedPlan(t, planText(await sql.unsafe(`explain (costs off) ${query.sql}`, query.params as never[]))),
  );

  t.test('only a payment in the processor’s hands can have a next step', async (t) => {
    await t.rejects(
      sql`update payments set next_step_at = now() where id = (select id from payments where status = 'completed' limit 1)`,
      { code: '23514', constraint_name: 'payments_next_step_in_flight' },
    );
  });
});
