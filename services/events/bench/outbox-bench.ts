// Event hub benchmark (127.0.0.1 only, bounded): in one run
//   1. baseline: raw rabbitmq-client publish with confirms (256 in flight),
//   2. outbox → relay → consumer → inbox throughput (10,000 events),
//   3. end-to-end latency (business COMMIT → inbox COMMIT) at a fixed 1,000 events/s for 30 s,
//      offered by two load-generator processes (producer.ts), one business transaction per event
//      (BENCH_RATE / BENCH_SECONDS override the rate and duration, not the hub's configuration).
// It prints the load average at the start and at the end: the machine may be shared.
// The publisher and the consumer are built exactly as the services build them: a Fastify app with
// the kit's health and db plugins and the hub's plugin (service, url, databaseUrl, handlers) — so
// the relay and the consumer run with their DEFAULT options, the ones the services run with.
// Uses a throwaway vhost and database, removed at the end.  npm run bench -- events
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { database, health } from '@bank/kit';
import { amqpProperties, batchHandler, createEventConnection, declareTopology, encodeEvent, exchangeName, type ConsumeOutcome, type EventHandlers, type SqlExecutor } from '../src/index.ts';
import { eventsFastifyPlugin } from '../src/plugin.ts';
import { paymentCreated } from '../test/helpers/events.ts';
import { createDb, createVhost, waitFor, type TestDb, type TestVhost } from '../test/helpers/infra.ts';
import { benchEnv } from './bench-env.ts';
import { cpuMeter, type CpuShare } from './cpu.ts';
import type { ProducerReport } from './producer.ts';

const BASELINE_MESSAGES = 20_000;
const THROUGHPUT_EVENTS = 10_000;
const RATE = benchEnv.rate;
const SECONDS = benchEnv.seconds;
/** Load-generator processes of the fixed-rate run (each offers RATE / PRODUCERS events/s). */
const PRODUCERS = 2;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A service's hub wiring as services/<svc>/src/events.ts does it (tests publish as `guest`). */
async function serviceApp(vhost: TestVhost, db: TestDb, service: string, handlers?: EventHandlers<SqlExecutor>, onOutcome?: (o: ConsumeOutcome) => void): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(health);
  await app.register(database, { url: db.url });
  await app.register(eventsFastifyPlugin, {
    service,
    url: vhost.url(),
    databaseUrl: db.url,
    ...(handlers ? { handlers, consumer: { userForSource: () => 'guest', ...(onOutcome ? { onOutcome } : {}) } } : {}),
  });
  await app.ready();
  return app;
}

async function baselinePublishConfirms(vhost: TestVhost): Promise<number> {
  const connection = createEventConnection({ url: vhost.url() });
  try {
    await declareTopology(connection, { service: 'baseline', types: ['payments.payment.updated'] });
    const publisher = connection.createPublisher({ confirm: true });
    const sample = paymentCreated();
    const body = encodeEvent({ ...sample, type: 'payments.payment.updated' });
    const props = amqpProperties({ ...sample, type: 'payments.payment.updated' }, 'guest');
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 256 }, async () => {
        while (next < BASELINE_MESSAGES) {
          next += 1;
          await publisher.send({ exchange: exchangeName(), routingKey: 'payments.payment.updated', ...props }, body);
        }
      }),
    );
    const rate = BASELINE_MESSAGES / ((performance.now() - started) / 1000);
    await publisher.close();
    await connection.queueDelete('baseline.events');
    return rate;
  } finally {
    await connection.close();
  }
}

const loadAtStart = loadavg().map((n) => Number(n.toFixed(2)));
const vhost = await createVhost('bench');
// Each service has its own database, as in production: payments' outbox in one, admin's inbox
// and effects in the other (with one database, admin's relay would compete for payments' rows).
const db = await createDb('bench');
const consumerDb = await createDb('bench_consumer');
try {
  // 1. Baseline.
  const baselineRate = await baselinePublishConfirms(vhost);

  // 2 and 3: payments publishes (its relay), admin consumes into its inbox; latency is taken in
  // onOutcome, i.e. after the consumer's batch has COMMITTED.
  // Per event: when its business transaction committed (producer side) and when its inbox
  // transaction committed (consumer side); latency = the difference. Taking the event's
  // `occurredAt` instead would add the time the transaction waited for a pool connection — the
  // load generator's queue, not the hub.
  const committedAt = new Map<string, number>();
  const inboxCommittedAt = new Map<string, number>();
  let handled = 0;
  const consumerApp = await serviceApp(
    vhost,
    consumerDb,
    'admin',
    // Shaped like admin's audit handler (services/admin/src/events.ts): one multi-row insert per batch.
    {
      'payments.payment.created': batchHandler<SqlExecutor>(async (events, tx) => {
        await tx.execute(sql`insert into effects (consumer, event_id) select 'admin', id from unnest(${`{${events.map((event) => event.id).join(',')}}`}::uuid[]) as id` as never);
      }),
    },
    (outcome) => {
      if (outcome.result !== 'processed') return;
      inboxCommittedAt.set(outcome.event.id, Date.now());
      handled += 1;
    },
  );
  const publisherApp = await serviceApp(vhost, db, 'payments');
  const commit = (events: ReturnType<typeof paymentCreated>[]) => publisherApp.db.transaction(async (tx) => publisherApp.events.publishInTx(tx, events));

  // Throughput: 10,000 events committed in transactions of 100 (8 at once), as fast as possible.
  const cpu = await cpuMeter([db.sql, consumerDb.sql]);
  const t0 = performance.now();
  const commits: Promise<void>[] = [];
  for (let i = 0; i < THROUGHPUT_EVENTS; i += 100) {
    commits.push(commit(Array.from({ length: 100 }, () => paymentCreated())));
    if (commits.length >= 8) await commits.shift();
  }
  await Promise.all(commits);
  await waitFor(() => handled >= THROUGHPUT_EVENTS, 180_000, 'throughput run');
  const pipelineRate = THROUGHPUT_EVENTS / ((performance.now() - t0) / 1000);
  const throughputCpu = await cpu.stop(THROUGHPUT_EVENTS);

  // Latency at a fixed rate: one business transaction per event, committed by PRODUCERS processes
  // of their own (producer.ts), each with the services' default pool — the bench's process (relay
  // and consumer) could not offer 1,000 single-event transactions a second besides its own work.
  inboxCommittedAt.clear();
  handled = 0;
  const producers = await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      const child = fork(fileURLToPath(new URL('./producer.ts', import.meta.url)), [db.url, String(RATE / PRODUCERS), String(SECONDS)]);
      child.on('exit', (code) => {
        if (code !== 0) child.emit('error', new Error(`producer exited with ${code}`));
      });
      await once(child, 'message'); // its pool is connected (rejects if the producer failed)
      return child;
    }),
  );
  const reports = producers.map((child) => once(child, 'message').then(([report]) => report as ProducerReport));
  // The producers' backends count under postgres (read before they close); their own Node processes do not count.
  const fixedRateCpu = await cpuMeter([db.sql, consumerDb.sql], 'node (relay + consumer)');
  for (const child of producers) child.send('start');
  let achievedRate = 0;
  let total = 0;
  for (const report of await Promise.all(reports)) {
    achievedRate += report.achievedPerSec;
    total += report.committed.length;
    for (const [id, at] of report.committed) committedAt.set(id, at);
  }
  await waitFor(() => handled >= total, 180_000, 'latency run');
  const fixedRateCpuPerEvent = await fixedRateCpu.stop(total);
  // Only now may the producers close their pools (until 2026-12-01 05:35 they closed them before
  // reporting, so their backends had exited when the CPU was read and did not count).
  await Promise.all(producers.map(async (child) => {
    const exited = once(child, 'exit');
    child.send('end');
    await exited;
  }));
  const sorted = [...committedAt].map(([id, at]) => inboxCommittedAt.get(id)! - at).sort((a, b) => a - b);

  await publisherApp.close();
  await consumerApp.close();
  const [doubles] = await consumerDb.sql`select count(*) - count(distinct (consumer, event_id)) as n from effects`;

  const figures = {
    loadAverage: { start: loadAtStart, end: loadavg().map((n) => Number(n.toFixed(2))) },
    baselinePublishConfirmsPerSec: Math.round(baselineRate),
    outboxPipelinePerSec: Math.round(pipelineRate),
    pipelineVsBaseline: Number((pipelineRate / baselineRate).toFixed(3)),
    cpuPerEventMs: throughputCpu,
    fixedRate: { targetPerSec: RATE, achievedPerSec: Math.round(achievedRate), producers: PRODUCERS, seconds: SECONDS, events: total, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1), cpuPerEventMs: fixedRateCpuPerEvent },
    duplicateEffects: Number(doubles!.n),
  };
  console.log(JSON.stringify(figures, null, 2));
  const cpuRow = (share: CpuShare) => `${share.name} ${share.msPerEvent} ms`;
  console.log(`
| measure (default relay and consumer configuration) | value |
|---|---|
| raw publish with confirms (baseline) | ${figures.baselinePublishConfirmsPerSec} msg/s |
| outbox → relay → consumer → inbox | ${figures.outboxPipelinePerSec} events/s (${figures.pipelineVsBaseline}× baseline) |
| CPU per event during the throughput run | ${figures.cpuPerEventMs.map(cpuRow).join(', ')} |
| latency at ${RATE}/s for ${SECONDS} s (commit → inbox commit) | p50 ${figures.fixedRate.p50Ms} ms, p95 ${figures.fixedRate.p95Ms} ms, p99 ${figures.fixedRate.p99Ms} ms, max ${figures.fixedRate.maxMs} ms; producers (${PRODUCERS} processes) held ${figures.fixedRate.achievedPerSec}/s |
| CPU per event at ${RATE}/s (producers' processes not counted) | ${figures.fixedRate.cpuPerEventMs.map(cpuRow).join(', ')} |
| duplicate effects | ${figures.duplicateEffects} |
| load average (1, 5, 15 min) | start ${figures.loadAverage.start.join(' / ')}, end ${figures.loadAverage.end.join(' / ')} |`);
} finally {
  await vhost.delete();
  await db.drop();
  await consumerDb.drop();
}
