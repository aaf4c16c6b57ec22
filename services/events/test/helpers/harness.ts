// One isolated hub per test file: a vhost, a database, connections, and helpers to run a
// consuming service whose handler records its effects in the `effects` table.
import type { Test } from 'tap';
import { sql } from 'drizzle-orm';
import type { Connection } from 'rabbitmq-client';
import { addToOutbox, batchHandler, createEventConnection, createEventConsumer, OutboxRelay, type ConsumeOutcome, type EventConsumer, type EventEnvelope, type BatchOptions, type EventHandler, type SqlExecutor } from '../../src/index.ts';
import { createDb, createVhost, ensureBrokerRunning, type TestDb, type TestVhost } from './infra.ts';

export interface Hub {
  vhost: TestVhost;
  db: TestDb;
  connect(user?: string, password?: string): Connection;
  relay(opts?: { batchSize?: number; pollIntervalMs?: number }): Promise<OutboxRelay>;
  consume(opts?: {
    service?: string;
    failWhen?: (event: EventEnvelope) => boolean;
    failAfterWrite?: boolean;
    concurrency?: number;
    prefetch?: number;
    batch?: BatchOptions;
    /** Record effects with a batch handler (one multi-row insert per call); each call's size is reported. */
    batchHandler?: (eventsInCall: number) => void;
    onOutcome?: (o: ConsumeOutcome) => void;
    userForSource?: (s: string) => string;
    connection?: Connection;
  }): Promise<EventConsumer>;
  /** A business transaction: bumps an account row and adds the events to the outbox. */
  commit(events: Array<EventEnvelope | { event: EventEnvelope; aggregateId: string; aggregateType?: string }>): Promise<void>;
  effects(consumer?: string): Promise<Array<{ event_id: string; aggregate_id: string | null; seq: number | null }>>;
}

export async function createHub(t: Test, label: string): Promise<Hub> {
  await ensureBrokerRunning();
  const vhost = await createVhost(label);
  const db = await createDb(label);
  const closers: Array<() => Promise<unknown>> = [];
  const connections: Connection[] = [];

  t.teardown(async () => {
    await ensureBrokerRunning(); // even when a test failed while the broker was stopped
    for (const close of closers.reverse()) await close().catch(() => {});
    for (const connection of connections) await connection.close().catch(() => {});
    await vhost.delete();
    await db.drop();
  });

  const hub: Hub = {
    vhost,
    db,
    connect(user, password) {
      const connection = createEventConnection({ url: vhost.url(user, password), retryLow: 200, retryHigh: 1_000 });
      connection.on('error', () => {});
      connections.push(connection);
      return connection;
    },
    async relay(opts = {}) {
      const relay = new OutboxRelay({ service: 'payments', sql: db.sql, connection: hub.connect(), pollIntervalMs: opts.pollIntervalMs ?? 500, batchSize: opts.batchSize ?? 100, publishTimeoutMs: 3_000 });
      await relay.start();
      closers.push(() => relay.stop());
      return relay;
    },
    async consume(opts = {}) {
      const service = opts.service ?? 'admin';
      const record: EventHandler<'payments.payment.created', SqlExecutor> = async (event, tx) => {
        if (!opts.failAfterWrite && opts.failWhen?.(event)) throw new Error(`poison ${event.id}`);
        await tx.execute(sql`insert into effects (consumer, event_id, aggregate_id, seq) values (${service}, ${event.id}::uuid, ${event.data.paymentId}, ${event.data.amount})` as never);
        // Failing after a write proves the write is rolled back with the failure.
        if (opts.failAfterWrite && opts.failWhen?.(event)) throw new Error(`poison ${event.id}`);
      };
      // The same effects in one statement per call; a failing event fails the whole call.
      const onCall = opts.batchHandler;
      const recordAll = batchHandler<SqlExecutor>(async (events, tx) => {
        onCall?.(events.length);
        const created = events as unknown as Array<EventEnvelope<'payments.payment.created'>>;
        if (!opts.failAfterWrite && created.some((event) => opts.failWhen?.(event))) throw new Error('poison in the call');
        const ids = `{${created.map((event) => event.id).join(',')}}`;
        const aggregates = `{${created.map((event) => event.data.paymentId).join(',')}}`;
        const seqs = `{${created.map((event) => event.data.amount).join(',')}}`;
        await tx.execute(
          sql`insert into effects (consumer, event_id, aggregate_id, seq) select ${service}, e, a, s from unnest(${ids}::uuid[], ${aggregates}::text[], ${seqs}::int[]) as u(e, a, s)` as never,
        );
        if (opts.failAfterWrite && created.some((event) => opts.failWhen?.(event))) throw new Error('poison in the call');
      });
      const consumer = await createEventConsumer({
        service,
        connection: opts.connection ?? hub.connect(),
        db: db.db,
        handlers: { 'payments.payment.created': onCall ? recordAll : record },
        types: ['payments.payment.created', 'auth.user.registered'],
        concurrency: opts.concurrency ?? 1,
        ...(opts.prefetch ? { prefetch: opts.prefetch } : {}),
        ...(opts.batch ? { batch: opts.batch } : {}),
        userForSource: opts.userForSource ?? (() => 'guest'),
        ...(opts.onOutcome ? { onOutcome: opts.onOutcome } : {}),
      });
      closers.push(() => consumer.close());
      await new Promise<void>((resolve) => consumer.consumer.once('ready', () => resolve()));
      return consumer;
    },
    async commit(events) {
      await db.db.transaction(async (tx) => {
        await tx.execute(sql`insert into accounts (id, balance) values ('a', 1) on conflict (id) do update set balance = accounts.balance + 1`);
        await addToOutbox(tx, events);
      });
    },
    async effects(consumer = 'admin') {
      return db.sql`select event_id, aggregate_id, seq from effects where consumer = ${consumer} order by id`;
    },
  };
  return hub;
}
