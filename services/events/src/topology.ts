// Declares the hub's exchange and one consuming service's queues. Idempotent: every declaration
// is repeated at each start-up with identical arguments (RabbitMQ accepts an identical redeclare).
import type { Connection } from 'rabbitmq-client';
import { RETRY_DELAYS_MS } from './backoff.ts';
import { exchangeName, queueNames, type NameOptions } from './names.ts';

export interface TopologyOptions extends NameOptions {
  /** The consuming service (`payments` → `payments.events`, `payments.retry.*`, `payments.dlq`). */
  service: string;
  /** Event types to bind (routing key = event type). */
  types: readonly string[];
}

/** Arguments of the work queue: quorum (replicated) and dead-lettering rejected messages to the DLQ. */
export function workQueueArguments(service: string, opts: NameOptions = {}) {
  return {
    'x-queue-type': 'quorum' as const,
    // Safety net only: our consumer dead-letters itself with a reason; a message nacked with
    // requeue=false by anything else still lands in the DLQ instead of being dropped.
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queueNames(service, opts).dlq,
  };
}

/** Declares the `events` exchange (durable topic) only: enough for a publish-only service. */
export async function declareExchange(connection: Connection, opts: NameOptions = {}): Promise<void> {
  await connection.exchangeDeclare({ exchange: exchangeName(opts), type: 'topic', durable: true });
}

export async function declareTopology(connection: Connection, opts: TopologyOptions): Promise<void> {
  const names = queueNames(opts.service, opts);
  const exchange = exchangeName(opts);
  await declareExchange(connection, opts);
  await connection.queueDeclare({ queue: names.work, durable: true, arguments: workQueueArguments(opts.service, opts) });
  await Promise.all(
    names.retry.map((queue, index) =>
      connection.queueDeclare({
        queue,
        durable: true,
        arguments: {
          'x-message-ttl': RETRY_DELAYS_MS[index],
          // Expired messages go back to the work queue through the default exchange.
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': names.work,
        },
      }),
    ),
  );
  await connection.queueDeclare({ queue: names.dlq, durable: true, arguments: { 'x-queue-type': 'quorum' as const } });
  for (const type of new Set(opts.types)) {
    await connection.queueBind({ queue: names.work, exchange, routingKey: type });
  }
}
