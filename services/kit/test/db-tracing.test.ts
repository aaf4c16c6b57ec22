// Span names of postgres.js queries: statement kind and first table, read from the query text
// (Drizzle's quoted identifiers, schema-qualified names, CTEs) — never from the parameters.
import t from 'tap';
import { dbTargetOf, describeStatement } from '../src/db-tracing.ts';

t.test('statement kind and table', async (t) => {
  t.same(describeStatement('select "id", "status" from "payments" where "payments"."id" = $1'), { operation: 'SELECT', table: 'payments' });
  t.same(describeStatement('insert into "outbox" ("event_id") values ($1)'), { operation: 'INSERT', table: 'outbox' });
  t.same(
    describeStatement('with "first_history_row" as (insert into "payment_transactions" ("id") values ($1)), "key" as (update "idempotency_keys" set "x" = $2 where ("a" = $3)) insert into "payments" ("id") values ($4) returning "id"'),
    { operation: 'INSERT', table: 'payments' },
    'a WITH statement is described by the statement after its CTEs',
  );
  t.same(describeStatement('with select_x as (select 1) select * from "users"'), { operation: 'SELECT', table: 'users' }, 'a CTE name that starts like a keyword is not the statement');
  t.same(describeStatement('update "payments" set "status" = $1 where "id" = $2'), { operation: 'UPDATE', table: 'payments' });
  t.same(describeStatement('delete from inbox where consumer = $1'), { operation: 'DELETE', table: 'inbox' });
  t.same(describeStatement('SELECT * FROM public.Accounts'), { operation: 'SELECT', table: 'public.accounts' }, 'unquoted names fold to lower case');
  t.same(describeStatement('/* relay */ select o.id from outbox o for update skip locked'), { operation: 'SELECT', table: 'outbox' }, 'leading comment skipped');
  t.same(describeStatement('with due as (select id from payments) update payments set x = 1'), { operation: 'UPDATE', table: 'payments' }, 'the UPDATE after the CTE, not WITH');
  t.same(describeStatement('select 1'), { operation: 'SELECT', table: undefined });
  t.same(describeStatement('begin isolation level serializable'), { operation: 'BEGIN', table: undefined });
  t.same(describeStatement('savepoint s1'), { operation: 'SAVEPOINT', table: undefined });
});

t.test('the database target comes from the URL, without credentials', async (t) => {
  t.same(dbTargetOf('postgres://payments:secret@db.internal:6432/payments_db'), { database: 'payments_db', host: 'db.internal', port: 6432 });
  t.same(dbTargetOf('postgres://localhost/x'), { database: 'x', host: 'localhost', port: 5432 });
  t.same(dbTargetOf('not a url'), { database: '', host: '', port: 5432 });
});
