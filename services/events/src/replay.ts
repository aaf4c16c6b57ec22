// Event replay from the outbox history: re-publishes the events of one type sent in a time range
// to ONE consuming service's work queue (default exchange, routing key `<service>.events`), not to
// the `events` exchange, so other consumers are not disturbed. Consumers' inboxes make a replay of
// an already processed event a no-op; replay serves consumers that lost or never had the events.
// Runs with the publishing service's database and, normally, its RabbitMQ user.
import type { Connection } from 'rabbitmq-client';
import { connectionUser } from './connection.ts';
import type { Sql } from './db.ts';
import type { AnyEventEnvelope } from './envelope.ts';
import { amqpProperties, encodeEvent, ORIGINAL_USER_HEADER, REPLAYED_AT_HEADER } from './message.ts';
import { eventMetrics } from './metrics.ts';
import { queueNames, type NameOptions } from './names.ts';

export interface ReplayEventsOptions extends NameOptions {
  /** Database (postgres.js) holding the publisher's outbox. */
  sql: Sql;
  connection: Connection;
  type: string;
  from: Date | string;
  to: Date | string;
  /** Consuming service whose work queue receives the events. */
  target: string;
  /** RabbitMQ user of the events' source, when the replayer is an operator rather than the source itself. */
  sourceUser?: string;
  /** Metrics label (default: target). */
  service?: string;
  limit?: number;
}

export async function replayEvents(opts: ReplayEventsOptions): Promise<{ replayed: number; eventIds: string[] }> {
  const from = new Date(opts.from);
  const to = new Date(opts.to);
  const rows = await opts.sql<{ payload: AnyEventEnvelope }[]>`
    select payload from outbox
    where sent_at is not null and event_type = ${opts.type} and created_at >= ${from} and created_at < ${to}
    order by id
    limit ${opts.limit ?? 100_000}`;
  const user = connectionUser(opts.connection);
  const publisher = opts.connection.createPublisher({ confirm: true, maxAttempts: 3 });
  const routingKey = queueNames(opts.target, opts).work;
  const extra: Record<string, unknown> = { [REPLAYED_AT_HEADER]: new Date().toISOString() };
  if (opts.sourceUser && opts.sourceUser !== user) extra[ORIGINAL_USER_HEADER] = opts.sourceUser;
  try {
    const eventIds: string[] = [];
    for (const { payload } of rows) {
      await publisher.send({ exchange: '', routingKey, ...amqpProperties(payload, user, extra) }, encodeEvent(payload));
      eventMetrics.published.inc({ service: opts.service ?? opts.target, type: payload.type });
      eventIds.push(payload.id);
    }
    return { replayed: eventIds.length, eventIds };
  } finally {
    await publisher.close();
  }
}
