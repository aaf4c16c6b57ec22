// The outbox relay: publishes unsent outbox rows with publisher confirms and marks them sent.
// - Safe with several replicas: rows are claimed with FOR UPDATE SKIP LOCKED.
// - Keeps per-aggregate order: a row is eligible only when no older row of its aggregate is
//   unsent, so one aggregate never has two events in flight (a failed row blocks only its own
//   aggregate, until it is retried).
// - Wakes on NOTIFY outbox (sent by addToOutbox at commit) and polls as a fallback.
// - While the broker is down nothing is lost: rows stay unsent and are retried with backoff.
import type { Connection, Publisher } from 'rabbitmq-client';
import type { Logger } from 'pino';
import { relayBackoffMs } from './backoff.ts';
import { connectionUser } from './connection.ts';
import type { Sql } from './db.ts';
import type { AnyEventEnvelope } from './envelope.ts';
import { amqpProperties, encodeEvent } from './message.ts';
import { eventMetrics, registerEventMetrics } from './metrics.ts';
import { exchangeName } from './names.ts';
import { OUTBOX_CHANNEL } from './outbox.ts';
import { declareExchange } from './topology.ts';
import { withPublishSpan } from './tracing.ts';

export interface OutboxRelayOptions {
  /** Publishing service (metrics label). */
  service: string;
  /** postgres.js client of the service's database (LISTEN needs the raw client, not Drizzle). */
  sql: Sql;
  connection: Connection;
  prefix?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  publishTimeoutMs?: number;
  /** AMQP user-id to stamp; defaults to the connection's user. */
  user?: string;
  logger?: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
}

interface OutboxRow {
  id: string;
  payload: AnyEventEnvelope;
}

export interface BatchResult {
  published: number;
  failed: number;
}

function timeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class OutboxRelay {
  readonly #opts: Required<Omit<OutboxRelayOptions, 'logger' | 'prefix' | 'user'>> & Pick<OutboxRelayOptions, 'logger' | 'prefix'> & { user: string };
  #publisher: Publisher | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #interrupt: (() => void) | undefined;
  /** A NOTIFY arrived since the current batch started (it may concern rows the batch missed). */
  #notified = false;
  #unlisten: (() => Promise<void>) | undefined;
  #failures = 0;
  #lastLagAt = 0;

  constructor(opts: OutboxRelayOptions) {
    registerEventMetrics();
    this.#opts = {
      batchSize: 100,
      pollIntervalMs: 1_000,
      publishTimeoutMs: 5_000,
      ...opts,
      user: opts.user ?? connectionUser(opts.connection),
    };
  }

  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#publisher = this.#opts.connection.createPublisher({ confirm: true, maxAttempts: 1 });
    try {
      const listener = await this.#opts.sql.listen(OUTBOX_CHANNEL, () => {
        this.#notified = true;
        this.#wake?.();
      });
      this.#unlisten = () => listener.unlisten();
    } catch (error) {
      // Polling still delivers everything; NOTIFY only shortens latency.
      this.#opts.logger?.warn({ err: error }, 'outbox relay: LISTEN failed, polling only');
    }
    this.#loop = this.#run();
  }

  /** Stops after the batch in flight; rows it could not mark stay unsent and are re-published later. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#interrupt?.();
    await this.#loop;
    await this.#unlisten?.().catch(() => {});
    await this.#publisher?.close();
  }

  /** Claims, publishes and marks one batch. Exposed for tests and tools. */
  async runBatch(): Promise<BatchResult> {
    const publisher = this.#publisher ?? this.#opts.connection.createPublisher({ confirm: true });
    this.#publisher = publisher;
    return this.#opts.sql.begin(async (tx) => {
      const rows = await tx<OutboxRow[]>`
        select o.id, o.payload from outbox o
        where o.sent_at is null
          and not exists (
            select 1 from outbox p
            where p.sent_at is null and p.aggregate_type = o.aggregate_type
              and p.aggregate_id = o.aggregate_id and p.id < o.id)
        order by o.id
        limit ${this.#opts.batchSize}
        for update of o skip locked`;
      if (rows.length === 0) return { published: 0, failed: 0 };
      const results = await Promise.allSettled(rows.map((row) => this.#publish(publisher, row.payload)));
      const sent = rows.filter((_, i) => results[i]!.status === 'fulfilled').map((row) => row.id);
      const failed = rows.filter((_, i) => results[i]!.status === 'rejected').map((row) => row.id);
      if (sent.length > 0) {
        await tx`update outbox set sent_at = now(), attempts = attempts + 1, last_error = null where id in ${tx(sent)}`;
      }
      if (failed.length > 0) {
        const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
        const message = String(reason instanceof Error ? reason.message : reason).slice(0, 500);
        await tx`update outbox set attempts = attempts + 1, last_error = ${message} where id in ${tx(failed)}`;
      }
      return { published: sent.length, failed: failed.length };
    });
  }

  async #publish(publisher: Publisher, event: AnyEventEnvelope): Promise<void> {
    const labels = { service: this.#opts.service, type: event.type };
    eventMetrics.published.inc(labels);
    const exchange = exchangeName(this.#opts);
    // A PRODUCER span under the context the event was created in; amqpProperties injects it as headers.
    await withPublishSpan({ exchange, routingKey: event.type, messageId: event.id, correlationId: event.correlationId }, event.metadata, () =>
      timeout(
        publisher.send({ exchange, routingKey: event.type, ...amqpProperties(event, this.#opts.user) }, encodeEvent(event)),
        this.#opts.publishTimeoutMs,
        'publish confirm',
      ),
    );
    eventMetrics.confirmed.inc(labels);
  }

  async #updateLag(): Promise<void> {
    if (Date.now() - this.#lastLagAt < 1_000) return;
    this.#lastLagAt = Date.now();
    const [row] = await this.#opts.sql<{ lag: number | null }[]>`
      select extract(epoch from now() - min(created_at))::float8 as lag from outbox where sent_at is null`;
    eventMetrics.outboxLag.set({ service: this.#opts.service }, row?.lag ?? 0);
  }

  /** Waits `ms`; a NOTIFY ends the wait early unless we are backing off; stop() always does. */
  #sleep(ms: number, wakeOnNotify: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const clear = () => {
        this.#wake = undefined;
        this.#interrupt = undefined;
      };
      function done() {
        clearTimeout(timer);
        clear();
        resolve();
      }
      this.#interrupt = done;
      if (wakeOnNotify) this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    let exchangeDeclared = false;
    while (this.#running) {
      let result: BatchResult = { published: 0, failed: 0 };
      this.#notified = false;
      try {
        if (!this.#opts.connection.ready) throw new Error('RabbitMQ connection not ready');
        if (!exchangeDeclared) {
          await declareExchange(this.#opts.connection, this.#opts);
          exchangeDeclared = true;
        }
        result = await this.runBatch();
        if (result.failed > 0) throw new Error(`${result.failed} publishes failed`);
        this.#failures = 0;
      } catch (error) {
        this.#failures += 1;
        if (this.#failures === 1 || this.#failures % 20 === 0) {
          this.#opts.logger?.warn({ err: error, failures: this.#failures }, 'outbox relay: publishing failed, backing off');
        }
      }
      await this.#updateLag().catch(() => {});
      if (!this.#running) break;
      if (this.#failures > 0) await this.#sleep(relayBackoffMs(this.#failures), false);
      // Something was published: the next rows of those aggregates may be eligible now.
      else if (result.published === 0 && !this.#notified) await this.#sleep(this.#opts.pollIntervalMs, true);
    }
  }
}
