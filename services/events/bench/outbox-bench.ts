// Event hub benchmark (127.0.0.1 only, bounded): in one run
//   1. baseline: raw rabbitmq-client publish with confirms (256 in flight),
//   2. outbox → relay → consumer → inbox throughput (10,000 events),
//   3. end-to-end latency (commit → inbox commit) at a fixed 1,000 events/s for 30 s
//      (BENCH_RATE / BENCH_SECONDS override, e.g. to measure below saturation),
// 2 and 3 once per consumer mode: batched inbox transactions (BENCH_BATCH_SIZE, default 50), then
// one transaction per event for comparison (BENCH_MODES=batched or =unbatched runs only one).
// Uses a throwaway vhost and database, removed at the end.  npm run bench -w @bank/events
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { addToOutbox, createEventConnection, createEventConsumer, declareTopology, encodeEvent, amqpProperties, exchangeName, OutboxRelay, type EventConsumerOptions, type SqlExecutor } from '../src/index.ts';
import { paymentCreated } from '../test/helpers/events.ts';
import { createDb, createVhost, waitFor } from '../test/helpers/infra.ts';
import { benchEnv } from './bench-env.ts';

const BASELINE_MESSAGES = 20_000;
const THROUGHPUT_EVENTS = 10_000;
const RATE = benchEnv.rate;
const SECONDS = benchEnv.seconds;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const BATCH_SIZE = benchEnv.batchSize;
const BATCH_PARALLEL = benchEnv.batchParallel;
/** Consumer modes to run, in this order (default both: the batched one, then the plain one for comparison). */
const MODES = benchEnv.modes;

interface PipelineMode {
  name: string;
  service: string;
  options: Pick<EventConsumerOptions<SqlExecutor>, 'concurrency' | 'prefetch' | 'batch'>;
}
interface PipelineFigures {
  mode: string;
  outboxPipelinePerSec: number;
  fixedRate: { targetPerSec: number; achievedPerSec: number; seconds: number; events: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number | undefined };
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

  // Pipeline: one relay (batch 200), then per consumer mode a fresh inbox consumer (own queue)
  // recording latency when the event's inbox transaction has committed (onOutcome).
  // Relay and consumer each get their own small connection pool: otherwise their transactions
  // queue behind the load generator's 1,000 unbounded commits/s on one 10-connection pool, and the
  // bench measures that queue instead of the hub (the consumer is another service in production).
  const relaySql = postgres(db.url, { max: 3, onnotice: () => {} });
  const relay = new OutboxRelay({ service: 'payments', sql: relaySql, connection, batchSize: 200 });
  await relay.start();
  const consumerSql = postgres(db.url, { max: 8, onnotice: () => {} });
  const consumerDb = drizzle(consumerSql);
  const modes: PipelineMode[] = [
    { name: 'batched', service: 'admin', options: { concurrency: 32, prefetch: 128, batch: { size: BATCH_SIZE, maxWaitMs: 10, parallel: BATCH_PARALLEL } } },
    { name: 'unbatched', service: 'profile', options: { concurrency: 32, prefetch: 128 } },
  ];
  const results: PipelineFigures[] = [];
  for (const mode of modes.filter((m) => MODES.includes(m.name))) results.push(await runPipeline(mode));
  await relay.stop();
  await consumerSql.end({ timeout: 5 });
  await relaySql.end({ timeout: 5 });

  const [doubles] = await db.sql`select count(*) - count(distinct (consumer, event_id)) as n from effects`;
  const figures = {
    baselinePublishConfirmsPerSec: Math.round(baselineRate),
    modes: results.map((r) => ({ ...r, pipelineVsBaseline: Number((r.outboxPipelinePerSec / baselineRate).toFixed(3)) })),
    duplicateEffects: Number(doubles!.n),
  };
  console.log(JSON.stringify(figures, null, 2));
  console.log(`
| measure | value |
|---|---|
| raw publish with confirms (baseline) | ${figures.baselinePublishConfirmsPerSec} msg/s |
${figures.modes
  .map(
    (m) => `| outbox → relay → consumer → inbox, ${m.mode} | ${m.outboxPipelinePerSec} events/s (${m.pipelineVsBaseline}× baseline) |
| latency at ${RATE}/s for ${SECONDS} s, ${m.mode} (commit → inbox commit) | p50 ${m.fixedRate.p50Ms} ms, p95 ${m.fixedRate.p95Ms} ms, p99 ${m.fixedRate.p99Ms} ms, max ${m.fixedRate.maxMs} ms; producer ${m.fixedRate.achievedPerSec}/s |`,
  )
  .join('\n')}
| duplicate effects | ${figures.duplicateEffects} |`);

  /** Throughput (10,000 events as fast as possible) then latency at a fixed rate, for one consumer mode. */
  async function runPipeline(mode: PipelineMode): Promise<PipelineFigures> {
    const latencies: number[] = [];
    let handled = 0;
    const consumer = await createEventConsumer({
      service: mode.service,
      connection,
      db: consumerDb,
      ...mode.options,
      userForSource: () => 'guest',
      handlers: {
        'payments.payment.created': async (event, tx: SqlExecutor) => {
          await tx.execute(sql`insert into effects (consumer, event_id) values (${mode.service}, ${event.id}::uuid)` as never);
        },
      },
      // After the inbox transaction committed (in batch mode: the whole batch).
      onOutcome: (outcome) => {
        if (outcome.result !== 'processed') return;
        latencies.push(Date.now() - Date.parse(outcome.event.occurredAt));
        handled += 1;
      },
    });

    // Throughput: 10,000 events committed in transactions of 100, as fast as possible.
    const t0 = performance.now();
    const commits: Promise<void>[] = [];
    for (let i = 0; i < THROUGHPUT_EVENTS; i += 100) {
      commits.push(db.db.transaction(async (tx) => addToOutbox(tx, Array.from({ length: 100 }, () => paymentCreated()))));
      if (commits.length >= 8) await commits.shift();
    }
    await Promise.all(commits);
    await waitFor(() => handled >= THROUGHPUT_EVENTS, 180_000, `${mode.name} throughput run`);
    const pipelineRate = THROUGHPUT_EVENTS / ((performance.now() - t0) / 1000);

    // Latency at a fixed rate: one business transaction per event, 10 every 10 ms.
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
    await waitFor(() => handled >= total, 180_000, `${mode.name} latency run`);
    const sorted = [...latencies].sort((a, b) => a - b);
    await consumer.close();
    await connection.queueDelete(`${mode.service}.events`); // the next mode must not receive these events
    return {
      mode: mode.name,
      outboxPipelinePerSec: Math.round(pipelineRate),
      fixedRate: { targetPerSec: RATE, achievedPerSec: Math.round(achievedRate), seconds: SECONDS, events: total, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), p99Ms: percentile(sorted, 99), maxMs: sorted.at(-1) },
    };
  }
} finally {
  await connection.close();
  await vhost.delete();
  await db.drop();
}
