// Event bridge: this gateway process consumes its OWN exclusive, auto-delete queue
// (`<prefix>gateway.ws.<host>-<random>` — under the `gateway.` prefix the gateway's RabbitMQ user
// may declare) bound to the forwarded event types. Every replica therefore gets every event and
// delivers it to the sockets it holds: replicas scale out without sticky routing. The queue is
// transient by design: a real-time push missed while a replica restarts is recovered by the client
// re-fetching state after it reconnects (docs/websocket.md).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { connectionUser, createEventConnection, exchangeName, readDeliveredEvent, withConsumeSpan, type AnyEventEnvelope } from '@bank/events';
import { BRIDGED_EVENT_TYPES } from './event-routing.ts';
import type { WsMetrics } from './metrics.ts';

// rabbitmq-client's types, reached through @bank/events (the gateway has no direct dependency on it).
type Connection = ReturnType<typeof createEventConnection>;
type Consumer = ReturnType<Connection['createConsumer']>;
type AsyncMessage = Parameters<Parameters<Connection['createConsumer']>[1]>[0];

export interface EventBridgeOptions {
  url: string;
  prefix?: string;
  log: FastifyBaseLogger;
  metrics: WsMetrics;
  /** RabbitMQ user each source publishes as (default: the source's name, e.g. `payments`). */
  userForSource?: (source: string) => string;
  onEvent: (event: AnyEventEnvelope) => void;
}

export interface EventBridge {
  queue: string;
  connection: Connection;
  /** Resolves once the queue is declared, bound and consumed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function bridgeQueueName(prefix = ''): string {
  const host = hostname().toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
  return `${prefix}gateway.ws.${host}-${randomBytes(4).toString('hex')}`;
}

export function startEventBridge(opts: EventBridgeOptions): EventBridge {
  const connection = createEventConnection(opts.url);
  connection.on('error', (err) => opts.log.warn({ err }, 'ws bridge: rabbitmq connection error'));
  const queue = bridgeQueueName(opts.prefix);
  const exchange = exchangeName({ prefix: opts.prefix });
  const authorization = {
    ownUser: connectionUser(connection),
    userForSource: opts.userForSource ?? ((source: string) => source),
    trustedRepublishers: [] as string[],
  };

  // One CONSUMER span per delivery, child of the publishing relay's span: the push to the sockets
  // ends the trace of the action that caused the event.
  const handle = (msg: AsyncMessage) => withConsumeSpan(queue, msg, () => push(msg));

  const push = async (msg: AsyncMessage) => {
    const read = readDeliveredEvent(msg, authorization);
    if (!read.ok) {
      opts.metrics.dropped.inc({ reason: read.reason });
      opts.log.warn({ messageId: msg.messageId, reason: read.reason, detail: read.detail }, 'ws bridge: event dropped');
      return;
    }
    opts.onEvent(read.event);
  };

  const consumer: Consumer = connection.createConsumer(
    {
      queue,
      // Exclusive + auto-delete: the queue lives exactly as long as this process's connection.
      // Bounded: if this process stalls, the oldest pushes are dropped rather than piling up.
      queueOptions: { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-max-length': 10_000, 'x-overflow': 'drop-head' } },
      exchanges: [{ exchange, type: 'topic', durable: true }],
      queueBindings: BRIDGED_EVENT_TYPES.map((routingKey) => ({ exchange, queue, routingKey })),
      // Automatic acknowledgement: pushes are best effort (a push missed is never redelivered —
      // the queue dies with this process — and clients re-fetch state on reconnecting), and the
      // handler only hands the event to the sockets, so an ack after it protected nothing while
      // costing the broker a settlement per event and per replica (≈ 0.04 ms of broker CPU per
      // message, docs/benchmarks/event-hub.md). Flow control is TCP's: a stalled process stops
      // reading, the broker stops sending, and the bounded queue drops its oldest pushes.
      noAck: true,
    },
    handle,
  );
  consumer.on('error', (err) => opts.log.warn({ err, queue }, 'ws bridge: consumer error'));
  const ready = new Promise<void>((resolve) => consumer.once('ready', () => resolve()));
  void ready.then(() => opts.log.info({ queue }, 'ws bridge consuming'));

  return {
    queue,
    connection,
    ready,
    async close() {
      await consumer.close();
      await connection.close();
    },
  };
}
