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
import { sql } from 'drizzle-orm';
import type { AsyncMessage, Connection, Consumer, Publisher } from 'rabbitmq-client';
import type { Logger } from 'pino';
import { authorise, type AuthorizationOptions } from './authorization.ts';
import { nextRetry, retryCountOf, RETRY_COUNT_HEADER } from './backoff.ts';
import { connectionUser } from './connection.ts';
import type { EventType } from './contracts.ts';
import { rowsOf, type SqlExecutor, type TransactionalDb } from './db.ts';
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
import { eventMetrics } from './metrics.ts';
import { queueNames } from './names.ts';
import { declareTopology, workQueueArguments } from './topology.ts';
import { withExtractedContext } from './tracing.ts';

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
  /** Handlers running at once (default 1: per-aggregate order is kept as published). */
  concurrency?: number;
  /** Messages prefetched (default 2 × concurrency, at least 10). */
  prefetch?: number;
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
  const concurrency = opts.concurrency ?? 1;
  const service = opts.service;

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

  async function handle(msg: AsyncMessage): Promise<void> {
    let body: unknown;
    try {
      body = decodeBody(msg.body);
    } catch {
      eventMetrics.consumed.inc({ service, type: msg.type ?? 'unknown', result: 'rejected' });
      return deadLetter(msg, 'malformed', 'body is not JSON');
    }
    const check = checkEvent(body);
    if (!check.ok) {
      eventMetrics.consumed.inc({ service, type: msg.type ?? 'unknown', result: 'rejected' });
      return deadLetter(msg, check.reason, check.detail);
    }
    const event = check.event;
    const allowed = authorise(event, msg, authorization);
    if (!allowed.ok) {
      eventMetrics.consumed.inc({ service, type: event.type, result: 'rejected' });
      return deadLetter(msg, 'unauthorised-source', allowed.detail);
    }
    const retries = retryCountOf(msg.headers);
    const handler = opts.handlers[event.type as EventType] as EventHandler<EventType, Tx> | undefined;
    if (!handler) {
      eventMetrics.consumed.inc({ service, type: event.type, result: 'ignored' });
      opts.onOutcome?.({ result: 'ignored', event, redelivered: msg.redelivered, retries });
      return;
    }

    const stopTimer = eventMetrics.handlerDuration.startTimer({ service, type: event.type });
    try {
      const processed = await withExtractedContext(msg.headers, () =>
        opts.db.transaction(async (tx) => {
          const inserted = rowsOf(
            await tx.execute(
              sql`insert into inbox (consumer, event_id) values (${inboxConsumer}, ${event.id}::uuid) on conflict do nothing returning event_id` as never,
            ),
          );
          if (inserted.length === 0) return false; // already processed: no second effect
          await handler(event as unknown as EventEnvelope, tx);
          return true;
        }),
      );
      stopTimer();
      const result = processed ? 'processed' : 'duplicate';
      eventMetrics.consumed.inc({ service, type: event.type, result });
      opts.onOutcome?.({ result, event, redelivered: msg.redelivered, retries });
    } catch (error) {
      stopTimer();
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
  }

  const consumer = opts.connection.createConsumer(
    {
      queue: names.work,
      // Redeclared (identically) on every reconnect.
      queueOptions: { durable: true, arguments: workQueueArguments(service, opts) },
      qos: { prefetchCount: opts.prefetch ?? Math.max(10, concurrency * 2) },
      concurrency,
      requeue: false,
    },
    handle,
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
