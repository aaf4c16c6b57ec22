// The scheduler creates each occurrence exactly once: with two schedulers racing on the same
// database, and with a scheduler process SIGKILLed mid-run and then restarted.
import t from 'tap';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createSql, type Db } from '@bank/kit';
import { addDays, localDate, startOfLocalDay } from '../src/domain/schedule.ts';
import { insertSchedule } from '../src/repositories/schedules.ts';
import { runOneOccurrence } from '../src/scheduler/worker.ts';
import { buildPayments, registerUser, waitFor } from './helper.ts';

const SCHEDULES = 10;
const OCCURRENCES = 8;

// Child processes and a shared 2-core machine: more than the default 60 s file timeout.
t.setTimeout(180_000);

/** SCHEDULES weekly schedules started OCCURRENCES weeks ago: every occurrence is already due. */
async function seedOverdueSchedules(db: Db, senderId: string, recipientId: string) {
  const start = addDays(localDate(new Date(), 'UTC'), -7 * OCCURRENCES);
  for (let i = 0; i < SCHEDULES; i++) {
    await insertSchedule(db, {
      id: randomUUID(),
      senderId,
      recipientId,
      recipientEmail: 'bob@example.test',
      amount: 100 + i,
      currency: 'EUR',
      description: null,
      kind: 'recurring',
      frequency: 'weekly',
      timeZone: 'UTC',
      startDate: start,
      endDate: null,
      maxCount: OCCURRENCES,
      status: 'active',
      nextIndex: 0,
      nextRunAt: startOfLocalDay(start, 'UTC'),
    });
  }
}

/** Every (schedule, index) exactly once, no gaps, and each schedule's next_index agrees with its payments. */
async function occurrenceReport(db: Db) {
  const [row] = await db.execute(sql`
    select
      (select count(*)::int from payments where schedule_id is not null) as payments,
      (select count(distinct (schedule_id, occurrence_index))::int from payments where schedule_id is not null) as distinct_occurrences,
      (select coalesce(sum(next_index), 0)::int from payment_schedules) as advanced,
      (select count(*)::int from payment_schedules s
         where (select count(*) from payments p where p.schedule_id = s.id) <> s.next_index
            or exists (select 1 from payments p where p.schedule_id = s.id and p.occurrence_index >= s.next_index)) as inconsistent,
      (select count(*)::int from outbox where event_type = 'payments.payment.created') as created_events`);
  return row as { payments: number; distinct_occurrences: number; advanced: number; inconsistent: number; created_events: number };
}

t.test('scheduler exactly once', async (t) => {
  const app = await buildPayments(t, { SCHEDULER_ENABLED: 'false' });
  const alice = await registerUser(app, 'CUSTOMER', 'alice');
  const bob = await registerUser(app, 'CUSTOMER', 'bob');
  const reset = () => app.db.execute(sql`truncate payment_schedules, payments cascade; delete from outbox`);

  t.test('two schedulers racing on the same database create each occurrence once', async (t) => {
    await reset();
    await seedOverdueSchedules(app.db, alice.id, bob.id);
    // a second scheduler with its own connection pool, as another replica would have
    const otherSql = createSql(app.testRun.dbUrl, 4);
    t.teardown(() => otherSql.end({ timeout: 5 }));
    const other = { db: drizzle(otherSql) as Db };
    const drain = async (ctx: { db: Db }) => {
      let n = 0;
      while (await runOneOccurrence(ctx)) n++;
      return n;
    };
    // two loops per scheduler, so four transactions compete at any moment
    const counts = await Promise.all([drain(app), drain(other), drain(app), drain(other)]);
    t.equal(counts.reduce((a, b) => a + b, 0), SCHEDULES * OCCURRENCES, `created per loop: ${counts.join(', ')}`);
    t.ok(counts[0]! + counts[2]! > 0 && counts[1]! + counts[3]! > 0, 'both schedulers took part');
    t.same(await occurrenceReport(app.db), {
      payments: SCHEDULES * OCCURRENCES,
      distinct_occurrences: SCHEDULES * OCCURRENCES,
      advanced: SCHEDULES * OCCURRENCES,
      inconsistent: 0,
      created_events: SCHEDULES * OCCURRENCES,
    });
    const [done] = await app.db.execute(sql`select count(*)::int as n from payment_schedules where status = 'completed' and next_run_at is null`);
    t.equal(done!.n, SCHEDULES, 'every schedule completed after its count');
  });

  t.test('a scheduler killed mid-run and restarted leaves no gap and no double', async (t) => {
    await reset();
    await seedOverdueSchedules(app.db, alice.id, bob.id);
    const child = fileURLToPath(new URL('./fixtures/scheduler-child.ts', import.meta.url));
    const runChild = () => spawn(process.execPath, [child, app.testRun.dbUrl], {
        stdio: ['ignore', 'pipe', 'inherit'],
        // a plain process, without tap's coverage/loader hooks
        env: { ...process.env, NODE_OPTIONS: '', NODE_V8_COVERAGE: '' },
      });
    const countPayments = async () => Number((await app.db.execute(sql`select count(*)::int as n from payments`))[0]!.n);

    const started = Date.now();
    const first = runChild();
    let printed = 0;
    first.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString().split('\n').length - 1));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(async () => ((await countPayments()) >= 20 ? true : undefined), 'the first scheduler created some occurrences', 30_000, 5);
    first.kill('SIGKILL');
    t.equal(await exited, 'SIGKILL', 'killed, not finished');
    const afterKill = await occurrenceReport(app.db);
    t.ok(afterKill.payments < SCHEDULES * OCCURRENCES, `killed mid-run (${afterKill.payments} of ${SCHEDULES * OCCURRENCES} created, ${printed} reported)`);
    t.equal(afterKill.inconsistent, 0, 'every committed occurrence advanced its schedule, and only those');
    t.equal(afterKill.payments, afterKill.advanced);

    const killedAt = Date.now();
    const second = runChild();
    const code = await new Promise<number | null>((resolve) => second.on('exit', (c) => resolve(c)));
    t.equal(code, 0, `the restarted scheduler finished (first ran ${killedAt - started} ms, second ${Date.now() - killedAt} ms)`);
    t.same(await occurrenceReport(app.db), {
      payments: SCHEDULES * OCCURRENCES,
      distinct_occurrences: SCHEDULES * OCCURRENCES,
      advanced: SCHEDULES * OCCURRENCES,
      inconsistent: 0,
      created_events: SCHEDULES * OCCURRENCES,
    });
  });

  t.test('the service runs its scheduler on its own (SCHEDULER_INTERVAL_MS)', async (t) => {
    const live = await buildPayments(t, { SCHEDULER_INTERVAL_MS: '50' });
    const a = await registerUser(live, 'CUSTOMER', 'a');
    const b = await registerUser(live, 'CUSTOMER', 'b');
    const res = await live.inject({
      method: 'POST',
      url: '/payments/schedules',
      headers: { ...a.headers, 'idempotency-key': randomUUID() },
      payload: { recipientId: b.id, amount: 900, currency: 'EUR', type: 'scheduled', executionDate: localDate(new Date(), 'Pacific/Kiritimati'), timeZone: 'Pacific/Kiritimati' },
    });
    t.equal(res.statusCode, 201, res.body);
    const detail = await waitFor(async () => {
      const d = (await live.inject({ url: `/payments/schedules/${res.json().id}`, headers: a.headers })).json();
      return d.payments.length ? d : undefined;
    }, 'the occurrence', 10_000);
    t.match(detail, { status: 'completed', payments: [{ scheduleId: res.json().id, occurrenceIndex: 0, type: 'scheduled' }] }, JSON.stringify(detail));
  });
});
