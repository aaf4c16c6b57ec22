// Event hub benchmark (127.0.0.1 only, bounded): in one run
//   1. baseline: raw rabbitmq-client publish with confirms (256 in flight),
//   2. outbox → relay → consumer → inbox throughput (10,000 events),
//   3. end-to-end latency (commit → handler) at a fixed 1,000 events/s for 30 s
//      (BENCH_RATE / BENCH_SECONDS override, e.g. to measure below saturation).
// Uses a throwaway vhost and database, removed at the end.  npm run bench -w @bank/events
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { addToOutbox, createEventConnection, createEventConsumer, declareTopology, encodeEvent, amqpProperties, exchangeName, OutboxRelay, type SqlExecutor } from '../src/index.ts';
import { paymentCreated } from '../test/helpers/events.ts';
import { createDb, createVhost, waitFor } from '../test/helpers/infra.ts';

const BASELINE_MESSAGES = 20_000;
const THROUGHPUT_EVENTS = 10_000;
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const vhost = await createVhost('bench');
const db = await createDb('bench');
const connection = createEventConnection({ url: vhost.url() });
try {
  // 1. Baseline.
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
  const baselineRate = BASELINE_MESSAGES / ((performance.now() - started) / 1000);
  await publisher.close();
  await connection.queueDelete('baseline.events');

  // Pipeline: relay (batch 200) and an inbox consumer (32 handlers at once) recording latency.
  const latencies: number[] = [];
  let handled = 0;
  const consumer = await createEventConsumer({
    service: 'admin',
    connection,
    db: db.db,
    concurrency: 32,
    prefetch: 128,
    userForSource: () => 'guest',
    handlers: {
      'payments.payment.created': async (event, tx: SqlExecutor) => {
        await tx.execute(sql`insert into effects (consumer, event_id) values ('admin', ${event.id}::uuid)` as never);
        latencies.push(Date.now() - Date.parse(event.occurredAt));
        handled += 1;
      },
    },
  });
  const relay = new OutboxRelay({ service: 'payments', sql: db.sql, connection, batchSize: 200 });
  await relay.start();

  // 2. Throughput: 10,000 events committed in transactions of 100, as fast as possible.
  const t0 = performance.now();
  const commits: Promise<void>[] = [];
  for (let i = 0; i < THROUGHPUT_EVENTS; i += 100) {
    commits.push(db.db.transaction(async (tx) => addToOutbox(tx, Array.from({ length: 100 }, () => paymentCreated()))));
    if (commits.length >= 8) await commits.shift();
  }
  await Promise.all(commits);
  await waitFor(() => handled >= THROUGHPUT_EVENTS, 120_000, 'throughput run');
  const pipelineRate = THROUGHPUT_EVENTS / ((performance.now() - t0) / 1000);

  // 3. Latency at a fixed rate: one business transaction per event, 10 every 10 ms.
  latencies.length = 0;
  handled = 0;
  const total = RATE * SECONDS;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const t1 = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t1) / 1000) * RATE));
    while (sent < due) {
      sent += 1;
      const commit = db.db.transaction(async (tx) => addToOutbox(tx, paymentCreated())).then(() => {
        inFlight.delete(commit);
      });
      inFlight.add(commit);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  const achievedRate = total / ((performance.now() - t1) / 1000);
  await waitFor(() => handled >= total, 120_000, 'latency run');
  const sorted = [...latencies].sort((a, b) => a - b);

  await relay.stop();
  await consumer.close();

  const [doubles] = await db.sql`select count(*) - count(distinct event_id) as n from effects`;
  const figures = {
    baselinePublishConfirmsPerSec: Math.round(baselineRate),
    outboxPipelinePerSec: Math.round(pipelineRate),
    pipelineVsBaseline: Number((pipelineRate / baselineRate).toFixed(3)),
    fixedRate: { targetPerSec: RATE, achievedPerSec: Math.round(achievedRate), seconds: SECONDS, events: total, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) },
    duplicateEffects: Number(doubles!.n),
  };
  console.log(JSON.stringify(figures, null, 2));
  console.log(`
| measure | value |
|---|---|
| raw publish with confirms (baseline) | ${figures.baselinePublishConfirmsPerSec} msg/s |
| outbox → relay → consumer → inbox | ${figures.outboxPipelinePerSec} events/s (${figures.pipelineVsBaseline}× baseline) |
| latency at ${RATE}/s for ${SECONDS} s (commit → handler) | p50 ${figures.fixedRate.p50Ms} ms, p95 ${figures.fixedRate.p95Ms} ms, p99 ${figures.fixedRate.p99Ms} ms, max ${figures.fixedRate.maxMs} ms |`);
} finally {
  await connection.close();
  await vhost.delete();
  await db.drop();
}
