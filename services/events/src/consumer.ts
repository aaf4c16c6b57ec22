// The inbox consumer. For each message from `<service>.events`:
//   1. decode and validate against the contracts (invalid / unknown type@version → DLQ),
//   2. authorise (source may publish the type, publisher's RabbitMQ user is the source's → else DLQ),
//   3. in ONE database transaction: insert (consumer, event id) into the inbox — ON CONFLICT DO
//      NOTHING, so a redelivered event is skipped — and run the handler with that transaction,
//   4. on a handler failure: re-publish to `<service>.retry.{1,2,4}s` (x-retry-count + 1), and after
//      the third retry to `<service>.dlq` with x-dead-letter-reason.
// The message is acked only after those steps (and any re-publish is broker-confirmed): a crash at
// any point means redelivery, which the inbox makes harmless. Thrown errors are nacked with
// requeue=false (never the hot requeue loop); the work queue dead-letters those to the DLQ.
// By default messages are handled in batches (see batch.ts): the handlers of up to `batch.size`
// messages run in one transaction and are acked only after that transaction commits; a batch
// starts at once when the consumer is idle, and fills by itself while the previous one commits.
// `batch: false` handles each message in its own transaction.
import { sql } from 'drizzle-orm';
import type { AsyncMessage, Connection, Consumer, Publisher } from 'rabbitmq-client';
import type { Logger } from 'pino';
import { authorise, type AuthorizationOptions } from './authorization.ts';
import { createBatchCollector, type BatchItem, type BatchOptions, type BatchSettlement } from './batch.ts';
import { batchFormOf } from './batch-handler.ts';
import { nextRetry, retryCountOf, RETRY_COUNT_HEADER } from './backoff.ts';
import { connectionUser } from './connection.ts';
import type { EventType } from './contracts.ts';
import type { SqlExecutor, TransactionalDb } from './db.ts';
import { clientOf } from '@bank/kit/drizzle-client';
import { checkEvent, type AnyEventEnvelope, type EventEnvelope } from './envelope.ts';
import {
  bodyBytes,
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_QUEUE_HEADER,
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTERED_AT_HEADER,
  decodeBody,
  republishProperties,
} from './message.ts';
import { eventMetrics, registerEventMetrics } from './metrics.ts';
import { queueNames } from './names.ts';
import { declareTopology, workQueueArguments } from './topology.ts';
import { withBatchConsumeSpan, withConsumeSpan, withConsumeSpans, type DeliveredMessage } from './tracing.ts';

/** The parts of a delivery its trace span records (see tracing.ts). */
function consumedMessage(msg: AsyncMessage): DeliveredMessage {
  return { exchange: msg.exchange, routingKey: msg.routingKey, messageId: msg.messageId, correlationId: msg.correlationId, headers: msg.headers };
}

export type EventHandler<T extends EventType, Tx> = (event: EventEnvelope<T>, tx: Tx) => Promise<void>;
export type EventHandlers<Tx> = { [T in EventType]?: EventHandler<T, Tx> };

export type DeadLetterReason = 'malformed' | 'unknown-type' | 'schema-invalid' | 'unauthorised-source' | 'handler-failed';

export type ConsumeOutcome =
  | { result: 'processed' | 'duplicate' | 'ignored'; event: AnyEventEnvelope; redelivered: boolean; retries: number }
  | { result: 'retried'; event: AnyEventEnvelope; retries: number; error: unknown }
  | { result: 'dead-lettered'; reason: DeadLetterReason; detail: string; messageId: string | undefined };

export interface EventConsumerOptions<Tx extends SqlExecutor> {
  /** Consuming service: owns `<service>.events` / `.retry.*` / `.dlq`; also the inbox consumer name. */
  service: string;
  connection: Connection;
  /** The service's Drizzle database (postgres-js). Handlers get its transaction. */
  db: TransactionalDb<Tx>;
  handlers: EventHandlers<Tx>;
  /** Routing keys to bind (default: the handlers' types). */
  types?: readonly string[];
  prefix?: string;
  /**
   * Without batching: handlers running at once (default 1: per-aggregate order is kept as
   * published). With `batch` (the default) it is the number of messages held while batches are collected and committed (default and
   * minimum (batch.parallel + 1) × batch.size, so the next batch fills while others commit).
   */
  concurrency?: number;
  /** Messages prefetched (default 2 × concurrency, at least 10; with `batch` never below concurrency). */
  prefetch?: number;
  /**
   * Batched inbox transactions (default DEFAULT_BATCH; false: one transaction per message): up to
   * `size` messages are handled in ONE transaction and acked after the COMMIT. If a handler fails
   * the batch re-runs with a SAVEPOINT per message; if the batch transaction fails as a whole, each
   * of its messages is handled again alone (the inbox skips any that did commit).
   */
  batch?: BatchOptions | false;
  /** Inbox consumer name (default: service). */
  inboxConsumer?: string;
  /** RabbitMQ user of this connection (default: read from the connection). */
  user?: string;
  /** RabbitMQ user of each source (default: the source name itself, e.g. `auth`). */
  userForSource?: (source: string) => string;
  /** Users allowed to re-publish (dead-letter replay) on a source's behalf (default: admin's user). */
  trustedRepublishers?: readonly string[];
  /** Declare the topology before consuming (default true). */
  declare?: boolean;
  logger?: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Called after each message is settled (logging, tests). */
  onOutcome?: (outcome: ConsumeOutcome) => void;
}

/**
 * The services' consumer configuration (benchmarked as is): up to 100 messages per transaction,
 * no waiting when idle, one batch committing at a time (keeps the delivery order, hence
 * per-aggregate order, for a single consumer).
 */
export const DEFAULT_BATCH: BatchOptions = { size: 100, maxWaitMs: 0, parallel: 1 };

/** A handler threw during an optimistic (savepoint-less) batch attempt. */
class HandlerFailedInBatch extends Error {
  constructor(cause: unknown) {
    super('handler failed in a batch without savepoints', { cause });
  }
}

export interface EventConsumer {
  readonly consumer: Consumer;
  /** Stops consuming and closes its channels (in-flight handlers settle first). */
  close(): Promise<void>;
}

/** Creates, declares and starts an inbox consumer. Resolves once the topology is declared. */
export async function createEventConsumer<Tx extends SqlExecutor>(opts: EventConsumerOptions<Tx>): Promise<EventConsumer> {
  const names = queueNames(opts.service, opts);
  const ownUser = opts.user ?? connectionUser(opts.connection);
  const userForSource = opts.userForSource ?? ((source: string) => source);
  const authorization: AuthorizationOptions = {
    ownUser,
    userForSource,
    trustedRepublishers: opts.trustedRepublishers ?? [userForSource('admin')],
  };
  const inboxConsumer = opts.inboxConsumer ?? opts.service;
  const types = opts.types ?? Object.keys(opts.handlers);
  const service = opts.service;
  registerEventMetrics();

  if (opts.declare !== false) await declareTopology(opts.connection, { service, types, prefix: opts.prefix });

  const republisher: Publisher = opts.connection.createPublisher({ confirm: true, maxAttempts: 3 });

  async function deadLetter(msg: AsyncMessage, reason: DeadLetterReason, detail: string): Promise<void> {
    await republisher.send(
      {
        exchange: '',
        routingKey: names.dlq,
        ...republishProperties(msg, ownUser, {
          [DEAD_LETTER_REASON_HEADER]: reason,
          [DEAD_LETTER_DETAIL_HEADER]: detail.slice(0, 1_000),
          [DEAD_LETTER_QUEUE_HEADER]: names.work,
          [DEAD_LETTERED_AT_HEADER]: new Date().toISOString(),
        }),
      },
      bodyBytes(msg.body),
    );
    eventMetrics.deadLettered.inc({ service, reason });
    opts.logger?.warn({ messageId: msg.messageId, type: msg.type, reason, detail }, 'event dead-lettered');
    opts.onOutcome?.({ result: 'dead-lettered', reason, detail, messageId: msg.messageId });
  }

  type Prepared = { event: AnyEventEnvelope; handler: EventHandler<EventType, Tx>; retries: number };
  type BatchResult = { ok: true; processed: boolean } | { ok: false; error: unknown };

  /** Decode, validate, authorise. Returns undefined when the message is already settled (dead-lettered or ignored). */
  async function prepare(msg: AsyncMessage): Promise<Prepared | undefined> {
    let body: unknown;
    try {
      body = decodeBody(msg.body);
    } catch {
      eventMetrics.consumed.inc({ service, type: msg.type ?? 'unknown', result: 'rejected' });
      await deadLetter(msg, 'malformed', 'body is not JSON');
      return undefined;
    }
    const check = checkEvent(body);
    if (!check.ok) {
      eventMetrics.consumed.inc({ service, type: msg.type ?? 'unknown', result: 'rejected' });
      await deadLetter(msg, check.reason, check.detail);
      return undefined;
    }
    const event = check.event;
    const allowed = authorise(event, msg, authorization);
    if (!allowed.ok) {
      eventMetrics.consumed.inc({ service, type: event.type, result: 'rejected' });
      await deadLetter(msg, 'unauthorised-source', allowed.detail);
      return undefined;
    }
    const retries = retryCountOf(msg.headers);
    const handler = opts.handlers[event.type as EventType] as EventHandler<EventType, Tx> | undefined;
    if (!handler) {
      eventMetrics.consumed.inc({ service, type: event.type, result: 'ignored' });
      opts.onOutcome?.({ result: 'ignored', event, redelivered: msg.redelivered, retries });
      return undefined;
    }
    return { event, handler, retries };
  }

  /**
   * Inserts the inbox row; false when the event was already processed (no second effect). Like the
   * batch's claim, a constant text on the transaction's connection (@bank/kit clientOf): prepared
   * once per connection; its plan reads no table but the insert's conflict check.
   */
  async function claimInbox(tx: Tx, event: AnyEventEnvelope): Promise<boolean> {
    const inserted = await clientOf(tx)`
      insert into inbox (consumer, event_id) values (${inboxConsumer}::text, ${event.id}::uuid) on conflict do nothing returning event_id`;
    return inserted.length > 0;
  }

  function recordSuccess(msg: AsyncMessage, { event, retries }: Prepared, processed: boolean): void {
    const result = processed ? 'processed' : 'duplicate';
    eventMetrics.consumed.inc({ service, type: event.type, result });
    if (processed) eventMetrics.consumerLag.observe({ service, type: event.type }, Math.max(0, Date.now() - Date.parse(event.occurredAt)) / 1000);
    opts.onOutcome?.({ result, event, redelivered: msg.redelivered, retries });
  }

  /** A failed handler: re-publish to the next retry queue, or dead-letter after the last retry. */
  async function retryOrDeadLetter(msg: AsyncMessage, { event, retries }: Prepared, error: unknown): Promise<void> {
    eventMetrics.consumed.inc({ service, type: event.type, result: 'failed' });
    const decision = nextRetry(retries);
    const detail = error instanceof Error ? error.message : String(error);
    if (decision.action === 'dead-letter') return deadLetter(msg, 'handler-failed', `after ${retries} retries: ${detail}`);
    await republisher.send(
      {
        exchange: '',
        routingKey: names.retry[decision.queueIndex]!,
        ...republishProperties(msg, ownUser, { [RETRY_COUNT_HEADER]: decision.nextCount, 'x-last-error': detail.slice(0, 500) }),
      },
      bodyBytes(msg.body),
    );
    eventMetrics.retried.inc({ service, type: event.type });
    opts.logger?.warn({ eventId: event.id, type: event.type, retry: decision.nextCount, delayMs: decision.delayMs, err: error }, 'event handler failed, retrying');
    opts.onOutcome?.({ result: 'retried', event, retries: decision.nextCount, error });
  }

  /** One message, one transaction (the default mode, and the fallback of a failed batch). */
  async function processAlone(msg: AsyncMessage, prepared: Prepared): Promise<void> {
    const { event, handler } = prepared;
    const stopTimer = eventMetrics.handlerDuration.startTimer({ service, type: event.type });
    try {
      const processed = await withConsumeSpan(names.work, consumedMessage(msg), () =>
        opts.db.transaction(async (tx) => {
          if (!(await claimInbox(tx, event))) return false; // already processed: no second effect
          await handler(event as unknown as EventEnvelope, tx);
          return true;
        }),
      );
      stopTimer();
      recordSuccess(msg, prepared, processed);
    } catch (error) {
      stopTimer();
      await retryOrDeadLetter(msg, prepared, error);
    }
  }

  async function handle(msg: AsyncMessage): Promise<void> {
    const prepared = await prepare(msg);
    if (prepared) await processAlone(msg, prepared);
  }

  /**
   * One transaction for the whole batch, in delivery order. First attempt: no savepoints, and a
   * batch handler (batch-handler.ts) takes each run of consecutive messages it handles in one
   * call. Re-run after a handler failed: each handler inside its own SAVEPOINT, one message per
   * call, so a failing handler undoes only its own work. Round trips are what limit a serial batch, so
   * the inbox rows are claimed in one statement up front (and a failed handler's row is deleted
   * again before COMMIT), and SAVEPOINT / RELEASE are pipelined rather than awaited (postgres-js
   * sends the queries of one connection in order; their errors fail the batch).
   */
  async function runBatch(items: ReadonlyArray<BatchItem<AsyncMessage, Prepared>>, savepoints: boolean): Promise<BatchResult[]> {
    return opts.db.transaction(async (tx) => {
      const ids = items.map(({ prepared }) => prepared.event.id);
      // The ids as one array parameter: the same text for any batch size, prepared once per
      // connection (@bank/kit clientOf) — one round trip, no parse.
      const claimed = new Set(
        (
          await clientOf(tx)<{ event_id: string }[]>`
            insert into inbox (consumer, event_id) select ${inboxConsumer}::text, id from unnest(${ids}::uuid[]) as id
            on conflict do nothing returning event_id`
        ).map((row) => row.event_id),
      );
      const results: BatchResult[] = [];
      const failed: string[] = [];
      let releaseError: unknown;
      for (let i = 0; i < items.length; i += 1) {
        const { message, prepared } = items[i]!;
        const { event } = prepared;
        // Not claimed: processed before (or earlier in this batch) — no second effect.
        if (!claimed.delete(event.id)) {
          results.push({ ok: true, processed: false });
          continue;
        }
        const handleBatch = savepoints ? undefined : batchFormOf<Tx>(prepared.handler);
        if (handleBatch) {
          // A batch handler takes this message and the claimed ones after it that share it, in one
          // call (batch-handler.ts), with a CONSUMER span per message as a handler called alone has.
          const run = [event];
          const delivered = [consumedMessage(message)];
          while (i + 1 < items.length && batchFormOf(items[i + 1]!.prepared.handler) === handleBatch && claimed.has(items[i + 1]!.prepared.event.id)) {
            i += 1;
            const next = items[i]!.prepared.event;
            claimed.delete(next.id);
            run.push(next);
            delivered.push(consumedMessage(items[i]!.message));
          }
          const started = performance.now();
          try {
            await withConsumeSpans(names.work, delivered, (traceOf) => handleBatch(run, tx, traceOf));
          } catch (error) {
            throw new HandlerFailedInBatch(error); // rolls the attempt back; rerun with savepoints, one call per message
          }
          const seconds = (performance.now() - started) / 1000 / run.length;
          for (const one of run) {
            eventMetrics.handlerDuration.observe({ service, type: one.type }, seconds);
            results.push({ ok: true, processed: true });
          }
          continue;
        }
        const stopTimer = eventMetrics.handlerDuration.startTimer({ service, type: event.type });
        // Pipelined too: one turn of the event loop lets the query reach its connection's ordered
        // queue (drizzle → postgres-js is microtasks only) before the handler issues its first one.
        let savepointError: unknown;
        if (savepoints) {
          void tx.execute(sql.raw('savepoint inbox_message') as never).then(undefined, (error: unknown) => (savepointError ??= error));
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        try {
          // A CONSUMER span per delivery, child of its producer (one trace per user action); the
          // batch's own span (settleBatch) links them all.
          await withConsumeSpan(names.work, consumedMessage(message), () => prepared.handler(event as unknown as EventEnvelope, tx));
        } catch (error) {
          if (!savepoints) throw new HandlerFailedInBatch(error); // rolls the attempt back; rerun with savepoints
          // If this rollback fails too (or the savepoint itself had failed), the whole transaction
          // fails and the batch falls back.
          await tx.execute(sql.raw('rollback to savepoint inbox_message') as never);
          failed.push(event.id);
          results.push({ ok: false, error });
          stopTimer();
          continue;
        }
        if (savepointError !== undefined) throw savepointError; // the handler ran outside its savepoint: fail the batch
        if (savepoints) void tx.execute(sql.raw('release savepoint inbox_message') as never).then(undefined, (error: unknown) => (releaseError ??= error));
        results.push({ ok: true, processed: true });
        stopTimer();
      }
      if (failed.length > 0) {
        // The failed events go to the retry path: they must not look processed.
        // Rare (a handler failed), so left unnamed — planned with its values each time: a generic
        // plan cached while the inbox was small could scan the whole inbox later.
        await tx.execute(sql`delete from inbox where consumer = ${inboxConsumer} and event_id = any(${sql.param(failed)}::uuid[])` as never);
      } else if (savepoints) {
        await tx.execute(sql`select 1` as never); // waits for the pipelined releases
      }
      if (releaseError !== undefined) throw releaseError;
      return results;
    });
  }

  /**
   * Settles a batch: after COMMIT, record successes and route failed handlers to retries. Returns
   * per message the error that must nack it (a failed re-publish), as the plain mode would throw.
   */
  async function settleBatch(items: ReadonlyArray<BatchItem<AsyncMessage, Prepared>>): Promise<BatchSettlement> {
    const failures: unknown[] = [];
    let results: BatchResult[];
    try {
      // Optimistic first: no savepoints (one statement less per message and subtransaction-free).
      // A handler failure rolls that attempt back entirely, and the batch runs again with a
      // SAVEPOINT per message, so only the failing handler's work is undone.
      results = await withBatchConsumeSpan(names.work, items.map(({ message }) => consumedMessage(message)), () =>
        runBatch(items, false).catch((error: unknown) => {
          if (error instanceof HandlerFailedInBatch) return runBatch(items, true);
          throw error;
        }),
      );
    } catch (error) {
      // Nothing of this batch is known durable (a lost COMMIT may or may not have landed): handle
      // every message again on its own; the inbox skips any whose effects did commit.
      opts.logger?.warn({ err: error, size: items.length }, 'batch transaction failed, handling its messages one by one');
      for (const [i, { message, prepared }] of items.entries()) {
        await processAlone(message, prepared).catch((failure: unknown) => (failures[i] = failure ?? new Error('settle failed')));
      }
      return failures;
    }
    for (const [i, { message, prepared }] of items.entries()) {
      const result = results[i]!;
      if (result.ok) recordSuccess(message, prepared, result.processed);
      else await retryOrDeadLetter(message, prepared, result.error).catch((failure: unknown) => (failures[i] = failure ?? new Error('settle failed')));
    }
    return failures;
  }

  const batchOptions = opts.batch === undefined ? DEFAULT_BATCH : opts.batch;
  const batching = batchOptions ? createBatchCollector<AsyncMessage, Prepared>(batchOptions, settleBatch) : undefined;

  async function handleInBatch(msg: AsyncMessage): Promise<void> {
    const prepared = await prepare(msg);
    if (prepared) await batching!.add(msg, prepared);
  }

  // Batch mode: `parallel` batches committing + one filling.
  const concurrency = batching ? Math.max(opts.concurrency ?? 0, batching.size * (batching.parallel + 1)) : (opts.concurrency ?? 1);
  const defaultPrefetch = Math.max(10, concurrency * 2);
  const prefetch = batching ? Math.max(opts.prefetch ?? defaultPrefetch, concurrency) : (opts.prefetch ?? defaultPrefetch);

  const consumer = opts.connection.createConsumer(
    {
      queue: names.work,
      // Redeclared (identically) on every reconnect.
      queueOptions: { durable: true, arguments: workQueueArguments(service, opts) },
      qos: { prefetchCount: prefetch },
      // Each in-flight handler is one message; in batch mode it resolves when its batch commits.
      concurrency,
      requeue: false,
    },
    batching ? handleInBatch : handle,
  );
  consumer.on('error', (error) => opts.logger?.error({ err: error, queue: names.work }, 'event consumer error'));

  return {
    consumer,
    async close() {
      await consumer.close();
      await republisher.close();
    },
  };
}
