// Dead-letter tools (the admin service and the CLI call these): list what is in `<service>.dlq`
// and re-publish messages — all, or by event id — to `<service>.events`. AMQP cannot browse a
// queue, so messages are fetched unacknowledged on a dedicated channel and released (requeued, in
// order) when the channel closes; replayed ones are acked only after the broker confirms the copy.
import type { Channel, Connection, SyncMessage } from 'rabbitmq-client';
import { RETRY_COUNT_HEADER } from './backoff.ts';
import { connectionUser } from './connection.ts';
import {
  bodyBytes,
  DEAD_LETTER_DETAIL_HEADER,
  DEAD_LETTER_QUEUE_HEADER,
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTERED_AT_HEADER,
  decodeBody,
  REPLAYED_AT_HEADER,
  republishProperties,
} from './message.ts';
import { queueNames, type NameOptions } from './names.ts';

export interface DeadLetterOptions extends NameOptions {
  /** Consuming service whose DLQ to read (`payments` → `payments.dlq`). */
  service: string;
  /** Maximum messages to look at (default 1,000). */
  limit?: number;
}

export interface DeadLetter {
  eventId: string | null;
  type: string | null;
  reason: string | null;
  detail: string | null;
  deadLetteredAt: string | null;
  retries: number;
  /** RabbitMQ user that originally published the event. */
  publishedBy: string | null;
  /** The event as received (parsed JSON when possible, else the raw text). */
  body: unknown;
}

function headerString(message: SyncMessage, name: string): string | null {
  const value = message.headers?.[name];
  if (value === undefined || value === null) return null;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

function toDeadLetter(message: SyncMessage): DeadLetter {
  let body: unknown;
  try {
    body = decodeBody(message.body);
  } catch {
    body = bodyBytes(message.body).toString('utf8');
  }
  // Messages dead-lettered by the broker itself (nack requeue=false) carry x-death instead of our reason.
  const death = (message.headers?.['x-death'] as Array<Record<string, unknown>> | undefined)?.[0];
  return {
    eventId: message.messageId ?? null,
    type: message.type ?? null,
    reason: headerString(message, DEAD_LETTER_REASON_HEADER) ?? (death ? `broker:${String(death.reason)}` : null),
    detail: headerString(message, DEAD_LETTER_DETAIL_HEADER),
    deadLetteredAt: headerString(message, DEAD_LETTERED_AT_HEADER),
    retries: Number(message.headers?.[RETRY_COUNT_HEADER] ?? 0),
    publishedBy: headerString(message, 'x-original-user-id') ?? message.userId ?? null,
    body,
  };
}

async function withChannel<T>(connection: Connection, fn: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await connection.acquire();
  try {
    return await fn(channel);
  } finally {
    // Unacked messages go back to the queue, in their original order.
    await channel.close().catch(() => {});
  }
}

/** Number of messages in a service's DLQ. */
export async function countDeadLetters(connection: Connection, opts: Omit<DeadLetterOptions, 'limit'>): Promise<number> {
  const ok = await connection.queueDeclare({ queue: queueNames(opts.service, opts).dlq, passive: true });
  return ok.messageCount;
}

/** Lists (without removing) up to `limit` dead letters of a service. */
export async function listDeadLetters(connection: Connection, opts: DeadLetterOptions): Promise<DeadLetter[]> {
  const queue = queueNames(opts.service, opts).dlq;
  const limit = opts.limit ?? 1_000;
  const before = await countDeadLetters(connection, opts);
  const items = await withChannel(connection, async (channel) => {
    const fetched: DeadLetter[] = [];
    while (fetched.length < limit) {
      const message = await channel.basicGet({ queue, noAck: false });
      if (!message) break;
      fetched.push(toDeadLetter(message));
    }
    return fetched;
  });
  // The broker requeues the released messages asynchronously after the channel closes: wait
  // (briefly) until they are countable again, so a count or replay right after sees them.
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && (await countDeadLetters(connection, opts)) < before) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return items;
}

export interface ReplayDeadLettersOptions extends DeadLetterOptions {
  /** Event ids (AMQP message ids) to replay; all when omitted. */
  ids?: readonly string[];
}

export interface ReplayResult {
  replayed: number;
  eventIds: string[];
}

/**
 * Moves dead letters back to `<service>.events` (retry count reset). The copy carries the
 * replayer's user-id and the original publisher in x-original-user-id: consumers accept it when
 * the replayer is the service itself or a trusted operator user (see authorization.ts).
 */
export async function replayDeadLetters(connection: Connection, opts: ReplayDeadLettersOptions): Promise<ReplayResult> {
  const names = queueNames(opts.service, opts);
  const wanted = opts.ids ? new Set(opts.ids) : undefined;
  const limit = opts.limit ?? 10_000;
  const user = connectionUser(connection);
  return withChannel(connection, async (channel) => {
    await channel.confirmSelect();
    const eventIds: string[] = [];
    for (let seen = 0; seen < limit; seen += 1) {
      const message = await channel.basicGet({ queue: names.dlq, noAck: false });
      if (!message) break;
      if (wanted && !wanted.has(message.messageId ?? '')) continue; // released when the channel closes
      const properties = republishProperties(message, user, { [REPLAYED_AT_HEADER]: new Date().toISOString() });
      for (const header of [RETRY_COUNT_HEADER, DEAD_LETTER_REASON_HEADER, DEAD_LETTER_DETAIL_HEADER, DEAD_LETTER_QUEUE_HEADER, DEAD_LETTERED_AT_HEADER, 'x-last-error']) {
        delete properties.headers?.[header];
      }
      await channel.basicPublish({ exchange: '', routingKey: names.work, ...properties }, bodyBytes(message.body));
      await channel.basicAck({ deliveryTag: message.deliveryTag });
      if (message.messageId) eventIds.push(message.messageId);
    }
    return { replayed: eventIds.length, eventIds };
  });
}
