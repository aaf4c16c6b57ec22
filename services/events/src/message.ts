// Mapping between an event envelope and an AMQP message (properties, headers, body).
import type { AsyncMessage, Envelope, SyncMessage } from 'rabbitmq-client';
import type { AnyEventEnvelope } from './envelope.ts';
import { traceHeaders } from './tracing.ts';

/** Header naming the RabbitMQ user that originally published an event we re-publish (retry, DLQ, replay). */
export const ORIGINAL_USER_HEADER = 'x-original-user-id';
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
export const DEAD_LETTER_DETAIL_HEADER = 'x-dead-letter-detail';
export const DEAD_LETTER_QUEUE_HEADER = 'x-dead-letter-queue';
export const DEAD_LETTERED_AT_HEADER = 'x-dead-lettered-at';
export const REPLAYED_AT_HEADER = 'x-replayed-at';

/**
 * AMQP properties of an event: messageId = event id, type, timestamp, userId (must equal the
 * connection's RabbitMQ user — the broker rejects anything else), persistent JSON, traceparent.
 */
export function amqpProperties(event: AnyEventEnvelope, userId: string, extraHeaders: Record<string, unknown> = {}): Omit<Envelope, 'exchange' | 'routingKey'> {
  return {
    messageId: event.id,
    type: event.type,
    timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
    userId,
    appId: event.source,
    correlationId: event.correlationId,
    contentType: 'application/json',
    durable: true,
    headers: { 'x-event-version': event.version, ...traceHeaders(), ...extraHeaders },
  };
}

export function encodeEvent(event: AnyEventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(event));
}

/** Parses a message body (rabbitmq-client already decodes application/json bodies). */
export function decodeBody(body: unknown): unknown {
  if (Buffer.isBuffer(body)) return JSON.parse(body.toString('utf8'));
  if (typeof body === 'string') return JSON.parse(body);
  return body;
}

/** Re-encodes a received body as bytes (for re-publishing it unchanged). */
export function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  return Buffer.from(JSON.stringify(body));
}

/** Properties to re-publish a received message as-is, under our own user id. */
export function republishProperties(msg: AsyncMessage | SyncMessage, ownUser: string, headers: Record<string, unknown>): Omit<Envelope, 'exchange' | 'routingKey'> {
  const { 'x-death': _death, 'x-first-death-exchange': _e, 'x-first-death-queue': _q, 'x-first-death-reason': _r, ...kept } = msg.headers ?? {};
  return {
    messageId: msg.messageId,
    type: msg.type,
    timestamp: msg.timestamp,
    userId: ownUser,
    appId: msg.appId,
    correlationId: msg.correlationId,
    contentType: msg.contentType ?? 'application/json',
    durable: true,
    headers: { ...kept, [ORIGINAL_USER_HEADER]: kept[ORIGINAL_USER_HEADER] ?? msg.userId ?? '', ...headers },
  };
}
