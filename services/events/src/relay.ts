// The outbox relay: publishes unsent outbox rows with publisher confirms and marks them sent.
// - Claims, does not lock: one short statement leases a batch (`claimed_until`) under
//   FOR UPDATE SKIP LOCKED and commits; the rows are published and confirmed with no transaction
//   open, then marked sent in one statement. Several batches are in flight at once.
// - Safe with several replicas: a leased row is invisible to other claims until its lease ends (a
//   relay that dies mid-batch leaves rows that are claimed again after `leaseMs`; consumers'
//   inboxes drop the duplicates).
// - Keeps per-aggregate order (aggregate declared per type in contracts.ts), across batches and
//   replicas: a row is claimed only when every older unsent row of its aggregate is in the same
//   claim; within a batch the rows of one aggregate are published one after the other, and a
//   failure holds back the rest of that aggregate only.
// - Publishes the stored JSON text as is (no parse/serialise in Node); AMQP properties and
//   headers come from the row (`publishHeaders`).
// - Wakes on NOTIFY outbox and polls as a fallback. Business transactions notify only while a
//   relay sleeps (outbox.ts RELAY_SLEEP_LOCK): a relay with nothing to claim and nothing in flight
//   takes that lock on a connection of its own before sleeping — which waits for the transactions
//   that saw it awake to commit — claims once more, and releases it when it wakes. With a batch in
//   flight it sleeps without the lock and claims when the batch is done: under load, claims gather
//   what was committed meanwhile instead of one row per NOTIFY; when idle, nothing waits.
// - While the broker is down nothing is lost: rows stay unsent and are retried with backoff.
import type { Connection, Envelope, Publisher } from 'rabbitmq-client';
import type { Logger } from 'pino';
import { relayBackoffMs } from './backoff.ts';
import { connectionUser } from './connection.ts';
import type { Sql } from './db.ts';
import postgres from 'postgres';
import { claimOutboxRows, type ClaimedRow } from './relay-claim.ts';
import { eventMetrics, registerEventMetrics } from './metrics.ts';
import { exchangeName } from './names.ts';
import { OUTBOX_CHANNEL, RELAY_SLEEP_LOCK } from './outbox.ts';
import { declareExchange } from './topology.ts';
import { traceHeaders, withPublishSpan } from './tracing.ts';

export interface OutboxRelayOptions {
  /** Publishing service (metrics label). */
  service: string;
  /**
   * postgres.js client of the service's database, for the relay alone (a small pool, see
   * `relayPool`): its claims and marks never queue behind the service's requests. LISTEN takes
   * one more connection of its own.
   */
  sql: Sql;
  connection: Connection;
  prefix?: string;
  /** Rows per claim (default 200). */
  batchSize?: number;
  /** Batches published at once (default 4). */
  maxInFlight?: number;
  pollIntervalMs?: number;
  publishTimeoutMs?: number;
  /** How long a claim is kept before another relay may take the rows again (default 30 s). */
  leaseMs?: number;
  /** AMQP user-id to stamp; defaults to the connection's user. */
  user?: string;
  logger?: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
}

/** Connections of the relay's own pool (claim and mark statements overlap between batches). */
export const RELAY_POOL_SIZE = 2;
/** Longest wait for the sleep lock, ms (another replica may sleep holding it: then it is not needed). */
const SLEEP_LOCK_TIMEOUT_MS = 200;
/** SQLSTATE of a lock wait that reached lock_timeout. */
const LOCK_NOT_AVAILABLE = '55P03';
/** The relay's own pool plans each claim with its parameters (see relay-claim.ts). */
export const RELAY_POOL_OPTIONS = { customPlans: true } as const;

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

/** AMQP headers of a row's message: everything derived from the row is added here, in one place. */
export function publishHeaders(row: ClaimedRow): Record<string, unknown> {
  return { 'x-event-version': row.version, ...traceHeaders() };
}

/** AMQP properties of a row's message (see message.ts `amqpProperties` for their meaning). */
function publishProperties(row: ClaimedRow, user: string): Omit<Envelope, 'exchange' | 'routingKey'> {
  return {
    messageId: row.eventId,
    type: row.eventType,
    timestamp: Math.floor(Date.parse(row.occurredAt) / 1000),
    userId: user,
    appId: row.source,
    correlationId: row.correlationId,
    contentType: 'application/json',
    durable: true,
    headers: publishHeaders(row),
  };
}

export class OutboxRelay {
  readonly #opts: Required<Omit<OutboxRelayOptions, 'logger' | 'prefix' | 'user'>> & Pick<OutboxRelayOptions, 'logger' | 'prefix'> & { user: string };
  #publisher: Publisher | undefined;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #interrupt: (() => void) | undefined;
  /** A NOTIFY arrived since the current claim started (it may concern rows the claim missed). */
  #notified = false;
  #unlisten: (() => Promise<void>) | undefined;
  /**
   * A connection of its own for the sleep lock (outbox.ts RELAY_SLEEP_LOCK), a session lock: a
   * one-connection client on the relay pool's settings (as postgres.js makes its LISTEN connection),
   * never recycled while it may hold the lock; it reconnects by itself (the lock is lost with the
   * session, and the relay then wakes by its poll).
   */
  #sleeper: Sql | undefined;
  #sleepLockHeld = false;
  #failures = 0;
  #lastLagAt = 0;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(opts: OutboxRelayOptions) {
    registerEventMetrics();
    this.#opts = {
      batchSize: 200,
      maxInFlight: 4,
      pollIntervalMs: 1_000,
      publishTimeoutMs: 5_000,
      leaseMs: 30_000,
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
      this.#sleeper = postgres({
        ...this.#opts.sql.options,
        max: 1,
        idle_timeout: null,
        max_lifetime: null,
        fetch_types: false,
        connection: { ...this.#opts.sql.options.connection, lock_timeout: `${SLEEP_LOCK_TIMEOUT_MS}ms` },
      } as unknown as postgres.Options<Record<string, never>>) as unknown as Sql;
    } catch (error) {
      // Polling still delivers everything; NOTIFY only shortens latency.
      this.#opts.logger?.warn({ err: error }, 'outbox relay: LISTEN failed, polling only');
    }
    this.#loop = this.#run();
  }

  /** Stops after the batches in flight (they are marked sent or released). */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#interrupt?.();
    await this.#loop;
    await this.#unlisten?.().catch(() => {});
    this.#sleepLockHeld = false;
    await this.#sleeper?.end({ timeout: 5 }); // the session, and its lock, end with it
    await this.#publisher?.close();
  }

  /** Claims, publishes and marks one batch. Exposed for tests and tools. */
  async runBatch(): Promise<BatchResult> {
    const rows = await this.#claim();
    return this.#publishBatch(rows);
  }

  /** Leases the next batch (relay-claim.ts). */
  #claim(): Promise<ClaimedRow[]> {
    return claimOutboxRows(this.#opts.sql, this.#opts.batchSize, this.#opts.leaseMs);
  }

  /**
   * Publishes a claimed batch: aggregates in parallel, the rows of one aggregate in id order, each
   * after the previous one is confirmed. Then one statement marks the confirmed rows sent, one more
   * releases the others (they are claimed again after the backoff).
   */
  async #publishBatch(claimed: ClaimedRow[]): Promise<BatchResult> {
    if (claimed.length === 0) return { published: 0, failed: 0 };
    const publisher =
      this.#publisher ?? this.#opts.connection.createPublisher({ confirm: true, maxAttempts: 1 });
    this.#publisher = publisher;
    const rows = [...claimed].sort((a, b) => Number(a.id) - Number(b.id));
    const byAggregate = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const chain = byAggregate.get(row.aggregate);
      if (chain) chain.push(row);
      else byAggregate.set(row.aggregate, [row]);
    }
    const sent: string[] = [];
    const failed: string[] = [];
    let firstError: unknown;
    await Promise.all(
      [...byAggregate.values()].map(async (chain) => {
        for (const [i, row] of chain.entries()) {
          try {
            await this.#publish(publisher, row);
            sent.push(row.id);
          } catch (error) {
            firstError ??= error;
            failed.push(...chain.slice(i).map((r) => r.id));
            return;
          }
        }
      }),
    );
    const { sql } = this.#opts;
    if (sent.length > 0) {
      await sql`update outbox set sent_at = now(), claimed_until = null, last_error = null where id = any(${sent}::bigint[])`;
    }
    if (failed.length > 0) {
      const message = String(firstError instanceof Error ? firstError.message : firstError).slice(0, 500);
      await sql`update outbox set claimed_until = null, last_error = ${message} where id = any(${failed}::bigint[])`;
    }
    return { published: sent.length, failed: failed.length };
  }

  async #publish(publisher: Publisher, row: ClaimedRow): Promise<void> {
    const labels = { service: this.#opts.service, type: row.eventType };
    eventMetrics.published.inc(labels);
    const exchange = exchangeName(this.#opts);
    // A PRODUCER span under the context the event was created in (stored in its envelope's
    // metadata); publishHeaders injects the active one — this span — as the AMQP headers.
    await withPublishSpan(
      { exchange, routingKey: row.eventType, messageId: row.eventId, correlationId: row.correlationId },
      row.metadata ?? undefined,
      () =>
        timeout(
          publisher.send(
            { exchange, routingKey: row.eventType, ...publishProperties(row, this.#opts.user) },
            Buffer.from(row.payload),
          ),
          this.#opts.publishTimeoutMs,
          'publish confirm',
        ),
    );
    eventMetrics.confirmed.inc(labels);
  }

  /**
   * Before sleeping: takes the sleep lock (from now on business transactions notify) and claims
   * once more on the same connection, after the lock — the transactions that saw this relay awake
   * and did not notify have committed by then. Returns that claim's rows. Without the lock (another
   * replica sleeps holding it, or a business transaction stayed open past the lock timeout) the
   * relay sleeps as before: NOTIFYs sent for the other replica, or the poll, wake it.
   */
  async #claimUnderSleepLock(sleeper: Sql): Promise<ClaimedRow[]> {
    // Pipelined on one connection: the claim runs once the lock is granted (or timed out).
    const lock = sleeper`select pg_advisory_lock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`.then(
      () => true,
      (error: unknown) => {
        if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) {
          this.#opts.logger?.warn({ err: error }, 'outbox relay: sleep lock failed, polling');
        }
        return false;
      },
    );
    const claim = claimOutboxRows(sleeper, this.#opts.batchSize, this.#opts.leaseMs);
    claim.catch(() => {}); // sent now, after the lock request; its error is thrown below
    this.#sleepLockHeld = await lock; // whatever the claim's outcome: the lock is released on waking
    return await claim;
  }

  /** On waking: business transactions stop notifying. */
  async #releaseSleepLock(): Promise<void> {
    if (!this.#sleepLockHeld || !this.#sleeper) return;
    this.#sleepLockHeld = false;
    // A connection lost meanwhile took the lock with it (the unlock then only warns).
    await this.#sleeper`select pg_advisory_unlock(${RELAY_SLEEP_LOCK.classId}::int, ${RELAY_SLEEP_LOCK.objectId}::int)`.catch(() => {});
  }

  async #updateLag(): Promise<void> {
    if (Date.now() - this.#lastLagAt < 1_000) return;
    this.#lastLagAt = Date.now();
    // The oldest unsent row by id — the first entry of outbox_unsent_idx, one index probe — rather
    // than min(created_at) over every unsent row (a scan of the backlog each second).
    const [row] = await this.#opts.sql<{ lag: number | null }[]>`
      select extract(epoch from now() - created_at)::float8 as lag from outbox where sent_at is null order by id limit 1`;
    eventMetrics.outboxLag.set({ service: this.#opts.service }, row?.lag ?? 0);
  }

  /** Waits `ms`; a NOTIFY or a finished batch ends the wait early unless we are backing off; stop() always does. */
  #sleep(ms: number, wakeEarly: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const inFlight = [...this.#inFlight];
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
      if (wakeEarly) {
        this.#wake = done;
        // A finished batch may make the next rows of its aggregates eligible.
        if (inFlight.length > 0) void Promise.race(inFlight).then(done);
      }
    });
  }

  /** Publishes a claimed batch in the background; its outcome feeds the backoff. */
  #launch(rows: ClaimedRow[]): void {
    const batch: Promise<void> = this.#publishBatch(rows)
      .then((result) => {
        if (result.failed > 0) throw new Error(`${result.failed} publishes failed`);
        this.#failures = 0;
      })
      .catch((error: unknown) => this.#recordFailure(error))
      .finally(() => this.#inFlight.delete(batch));
    this.#inFlight.add(batch);
  }

  #recordFailure(error: unknown): void {
    this.#failures += 1;
    if (this.#failures === 1 || this.#failures % 20 === 0) {
      this.#opts.logger?.warn(
        { err: error, failures: this.#failures },
        'outbox relay: publishing failed, backing off',
      );
    }
  }

  async #run(): Promise<void> {
    let exchangeDeclared = false;
    while (this.#running) {
      if (this.#inFlight.size >= this.#opts.maxInFlight) {
        await Promise.race(this.#inFlight);
        continue;
      }
      let claimed = 0;
      this.#notified = false;
      try {
        if (!this.#opts.connection.ready) throw new Error('RabbitMQ connection not ready');
        if (!exchangeDeclared) {
          await declareExchange(this.#opts.connection, this.#opts);
          exchangeDeclared = true;
        }
        if (this.#failures === 0 || this.#inFlight.size === 0) {
          const rows = await this.#claim();
          claimed = rows.length;
          if (claimed > 0) this.#launch(rows);
        }
      } catch (error) {
        this.#recordFailure(error);
      }
      await this.#updateLag().catch(() => {});
      if (!this.#running) break;
      if (this.#failures > 0) await this.#sleep(relayBackoffMs(this.#failures), false);
      else if (claimed === 0 && !this.#notified) {
        // Idle, nothing in flight and notified when a row is committed: take the sleep lock first.
        if (this.#inFlight.size === 0 && this.#sleeper) {
          let rows: ClaimedRow[] = [];
          try {
            rows = await this.#claimUnderSleepLock(this.#sleeper);
          } catch (error) {
            this.#recordFailure(error);
          }
          if (rows.length > 0) {
            await this.#releaseSleepLock();
            this.#launch(rows);
            continue;
          }
        }
        if (!this.#notified && this.#running) await this.#sleep(this.#failures > 0 ? relayBackoffMs(this.#failures) : this.#opts.pollIntervalMs, this.#failures === 0);
        await this.#releaseSleepLock();
      }
    }
    await Promise.all(this.#inFlight);
  }
}
