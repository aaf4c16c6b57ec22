// Fastify plugin wiring the hub into a service: connection (as the service's RabbitMQ user),
// topology, outbox relay and, when handlers are given, the inbox consumer.
// Needs the kit's `kit-db` plugin (fastify.db, fastify.sql) registered first.
// Decorates `fastify.events` = { publishInTx, connection, relay, consumer }.
// Closes in onClose: relay's publisher → consumer → connection.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Connection } from 'rabbitmq-client';
import { createEventConnection } from './connection.ts';
import { createEventConsumer, type EventConsumer, type EventConsumerOptions, type EventHandlers } from './consumer.ts';
import type { Sql, SqlExecutor, TransactionalDb } from './db.ts';
import { addToOutbox } from './outbox.ts';
import { OutboxRelay, RELAY_POOL_OPTIONS, RELAY_POOL_SIZE, type OutboxRelayOptions } from './relay.ts';
import { createSql } from '@bank/kit/db';
import { declareExchange } from './topology.ts';
import { RetentionJob, type RetentionTask } from '@bank/kit/retention';
import { eventRetentionTasks, type EventRetention } from './retention.ts';

export interface EventsDecorator {
  /** addToOutbox bound to nothing but the caller's transaction: `fastify.events.publishInTx(tx, event)`. */
  publishInTx: typeof addToOutbox;
  connection: Connection;
  relay: OutboxRelay | undefined;
  consumer: EventConsumer | undefined;
  /** Prunes sent outbox rows, old inbox rows and the caller's extra tasks (undefined when off). */
  retention: RetentionJob | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    events: EventsDecorator;
  }
}

export interface EventsPluginOptions {
  service: string;
  /** RABBITMQ_URL; required unless `connection` is given. */
  url?: string;
  connection?: Connection;
  prefix?: string;
  /** Drizzle database (default fastify.db) and postgres.js client (default fastify.sql). */
  db?: TransactionalDb<SqlExecutor>;
  sql?: Sql;
  /**
   * DATABASE_URL: the relay gets its own pool of RELAY_POOL_SIZE connections on it, so its
   * claims and marks never wait behind the service's requests, and each claim is planned with its
   * parameters (RELAY_POOL_OPTIONS). Without it, the relay shares `sql` and its plan cache.
   */
  databaseUrl?: string;
  /** Run the outbox relay (default true). */
  relay?: boolean | Partial<Omit<OutboxRelayOptions, 'service' | 'sql' | 'connection'>>;
  /** Handlers by event type: an inbox consumer is started when present. */
  handlers?: EventHandlers<SqlExecutor>;
  consumer?: Partial<Omit<EventConsumerOptions<SqlExecutor>, 'service' | 'connection' | 'db' | 'handlers'>>;
  /**
   * Retention of sent outbox rows and inbox rows, pruned every `intervalMs` (0: only on demand,
   * `fastify.events.retention.runOnce()`); `tasks` adds the service's own (e.g. idempotency keys).
   * Off when false or absent.
   */
  retention?: (EventRetention & { intervalMs: number; tasks?: RetentionTask[] }) | false;
}

async function eventsPlugin(fastify: FastifyInstance, opts: EventsPluginOptions) {
  const decorated = fastify as FastifyInstance & { db?: TransactionalDb<SqlExecutor>; sql?: Sql };
  const db = opts.db ?? decorated.db;
  const sql = opts.sql ?? decorated.sql;
  if (!sql || !db) throw new Error('events plugin needs `db` and `sql` (register the kit db plugin first, or pass them)');
  if (!opts.connection && !opts.url) throw new Error('events plugin needs `url` (RABBITMQ_URL) or `connection`');
  const ownsConnection = !opts.connection;
  const connection = opts.connection ?? createEventConnection(opts.url!);
  const logger = fastify.log;
  connection.on('error', (error) => logger.warn({ err: error }, 'rabbitmq connection error'));

  await connection.onConnect(10_000, true).catch((error: unknown) => {
    // Start anyway: the outbox keeps events until the broker is back; readiness reports it.
    logger.warn({ err: error }, 'rabbitmq not reachable at start-up');
  });
  if (connection.ready) await declareExchange(connection, opts);

  let relay: OutboxRelay | undefined;
  let relaySql: Sql | undefined;
  if (opts.relay !== false) {
    relaySql = opts.databaseUrl ? createSql(opts.databaseUrl, RELAY_POOL_SIZE, RELAY_POOL_OPTIONS) : undefined;
    relay = new OutboxRelay({ service: opts.service, sql: relaySql ?? sql, connection, prefix: opts.prefix, logger, ...(typeof opts.relay === 'object' ? opts.relay : {}) });
    await relay.start();
  }
  let consumer: EventConsumer | undefined;
  if (opts.handlers && Object.keys(opts.handlers).length > 0) {
    consumer = await createEventConsumer({ service: opts.service, connection, db, handlers: opts.handlers, prefix: opts.prefix, logger, ...opts.consumer });
  }

  let retention: RetentionJob | undefined;
  if (opts.retention) {
    retention = new RetentionJob({
      sql,
      tasks: [...eventRetentionTasks(opts.service, opts.retention), ...(opts.retention.tasks ?? [])],
      intervalMs: opts.retention.intervalMs,
      log: logger,
    });
    retention.start();
  }

  fastify.decorate('events', { publishInTx: addToOutbox, connection, relay, consumer, retention });
  const health = (fastify as FastifyInstance & { health?: { addCheck(name: string, check: () => Promise<unknown>): void } }).health;
  health?.addCheck('rabbitmq', async () => {
    if (!connection.ready) throw new Error('RabbitMQ connection not ready');
  });

  fastify.addHook('onClose', async () => {
    await retention?.stop();
    await relay?.stop();
    await relaySql?.end({ timeout: 5 });
    await consumer?.close();
    if (ownsConnection) await connection.close();
  });
}

export const eventsFastifyPlugin = fp(eventsPlugin, { name: 'events', fastify: '5.x', dependencies: ['kit-db'] });
export default eventsFastifyPlugin;
