// One RabbitMQ connection per service process, authenticated as the service's own user.
import { Connection, type ConnectionOptions } from 'rabbitmq-client';

export interface EventConnectionOptions extends Omit<ConnectionOptions, 'url'> {
  /** amqp://<service>:<password>@host:5672/<vhost> (RABBITMQ_URL). */
  url: string;
}

/** Creates a connection that reconnects on its own (backoff capped at 5 s by default). */
export function createEventConnection(opts: EventConnectionOptions | string): Connection {
  const options = typeof opts === 'string' ? { url: opts } : opts;
  return new Connection({ retryLow: 250, retryHigh: 5_000, connectionTimeout: 5_000, acquireTimeout: 10_000, ...options });
}

/**
 * The RabbitMQ user of a connection — the value the AMQP user-id property must carry (RabbitMQ
 * rejects a publish whose user-id differs from the authenticated user). rabbitmq-client does not
 * expose it publicly, so it is read from the normalised options.
 */
export function connectionUser(connection: Connection): string {
  const options = (connection as unknown as { _opt?: { username?: string } })._opt;
  return options?.username ?? 'guest';
}
