// Retention of the outbox and inbox: sent rows older than the outbox retention and inbox rows
// older than the inbox retention go; unsent rows never do, however old. Several replicas pruning
// at once delete each row exactly once, and a replica finding another one pruning skips the round.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { RetentionJob } from '@bank/kit/retention';
import { eventRetentionTasks } from '../src/retention.ts';
import { createDb } from './helpers/infra.ts';

const HOURS = { outboxHours: 24, inboxHours: 48 };

async function seed(sql: Awaited<ReturnType<typeof createDb>>['sql'], rows: { sentHoursAgo: number | null; createdHoursAgo: number; n: number }[]) {
  for (const r of rows) {
    await sql`
      insert into outbox (event_id, aggregate_type, aggregate_id, event_type, payload, created_at, sent_at)
      select gen_random_uuid(), 'test', 'a' || g, 'test.thing.happened', '{}'::jsonb,
             now() - make_interval(hours => ${r.createdHoursAgo}),
             ${r.sentHoursAgo === null ? null : sql`now() - make_interval(hours => ${r.sentHoursAgo})`}
      from generate_series(1, ${r.n}) g`;
  }
}

t.test('outbox: sent rows past retention are deleted, unsent and recent ones kept; inbox likewise', async (t) => {
  const db = await createDb('retention');
  t.teardown(() => db.drop());
  await seed(db.sql, [
    { sentHoursAgo: 30, createdHoursAgo: 31, n: 5 }, // sent long ago → deleted
    { sentHoursAgo: 1, createdHoursAgo: 2, n: 3 }, // sent recently → kept
    { sentHoursAgo: null, createdHoursAgo: 100, n: 2 }, // never sent → kept, whatever its age
  ]);
  await db.sql`insert into inbox (consumer, event_id, processed_at) select 'svc', gen_random_uuid(), now() - interval '50 hours' from generate_series(1, 4)`;
  await db.sql`insert into inbox (consumer, event_id, processed_at) values ('svc', ${randomUUID()}, now() - interval '47 hours')`;

  const job = new RetentionJob({ sql: db.sql, tasks: eventRetentionTasks('svc', HOURS), intervalMs: 0, batchSize: 2 });
  const result = await job.runOnce();
  t.same(result, { 'svc:outbox': { deleted: 5, skipped: false }, 'svc:inbox': { deleted: 4, skipped: false } }, 'in batches of 2');
  const [outbox] = await db.sql<{ sent: number; unsent: number }[]>`
    select count(*) filter (where sent_at is not null)::int as sent, count(*) filter (where sent_at is null)::int as unsent from outbox`;
  t.same(outbox, { sent: 3, unsent: 2 });
  const [inbox] = await db.sql<{ n: number }[]>`select count(*)::int as n from inbox`;
  t.equal(inbox!.n, 1);
  t.same(await job.runOnce(), { 'svc:outbox': { deleted: 0, skipped: false }, 'svc:inbox': { deleted: 0, skipped: false } }, 'nothing left to do');
});

t.test('several replicas at once: every expired row deleted exactly once, no errors', async (t) => {
  const db = await createDb('retention_replicas');
  t.teardown(() => db.drop());
  await seed(db.sql, [{ sentHoursAgo: 30, createdHoursAgo: 30, n: 3_000 }]);
  const warnings: unknown[] = [];
  const log = { info: () => {}, warn: (obj: object) => warnings.push(obj) };
  const replicas = Array.from({ length: 4 }, () => new RetentionJob({ sql: db.sql, tasks: eventRetentionTasks('svc', HOURS), intervalMs: 0, batchSize: 100, log }));
  // Rounds until the backlog is gone (a replica that finds the lock taken skips its round).
  let deleted = 0;
  for (let round = 0; round < 20; round++) {
    const results = await Promise.all(replicas.map((r) => r.runOnce()));
    deleted += results.reduce((n, r) => n + r['svc:outbox']!.deleted, 0);
    const [left] = await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
    if (left!.n === 0) break;
  }
  t.equal(deleted, 3_000, 'the deleted counts add up to the rows there were');
  t.same(warnings, [], 'no replica failed');
});

t.test('a replica finding the task locked by another skips the round', async (t) => {
  const db = await createDb('retention_lock');
  t.teardown(() => db.drop());
  await seed(db.sql, [{ sentHoursAgo: 30, createdHoursAgo: 30, n: 10 }]);
  const job = new RetentionJob({ sql: db.sql, tasks: eventRetentionTasks('svc', HOURS), intervalMs: 0 });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const hasLock = new Promise<void>((resolve) => (locked = resolve));
  const holder = db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('retention:svc:outbox'))`;
    locked();
    await held;
  });
  await hasLock;
  const whileLocked = await job.runOnce();
  t.same(whileLocked['svc:outbox'], { deleted: 0, skipped: true });
  release();
  await holder;
  t.same((await job.runOnce())['svc:outbox'], { deleted: 10, skipped: false }, 'the next round does the work');
});

t.test('scheduled: rounds run every intervalMs until stopped', async (t) => {
  const db = await createDb('retention_schedule');
  t.teardown(() => db.drop());
  await seed(db.sql, [{ sentHoursAgo: 30, createdHoursAgo: 30, n: 3 }]);
  const job = new RetentionJob({ sql: db.sql, tasks: eventRetentionTasks('svc', HOURS), intervalMs: 50 });
  job.start();
  const deadline = Date.now() + 5_000;
  let left = 3;
  while (left > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = (await db.sql<{ n: number }[]>`select count(*)::int as n from outbox`)[0]!.n;
  }
  await job.stop();
  t.equal(left, 0, 'pruned by the schedule');
});
