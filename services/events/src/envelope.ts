// The event envelope: what every message on the hub carries, whatever its type.
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { uuidv7 } from '@bank/kit/uuid';
import { checkData, latestVersion, type EventData, type EventType, type Source } from './contracts.ts';
import { traceMetadata, type TraceMetadata } from './tracing.ts';

/**
 * Transport metadata, not part of any contract: the W3C trace context the event was produced in
 * (stored with the outbox row, published as AMQP headers by the relay, see tracing.ts).
 */
export const EventMetadataSchema = Type.Object(
  {
    traceparent: Type.Optional(Type.String({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' })),
    tracestate: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

export const EnvelopeSchema = Type.Object(
  {
    // UUID v7: time-ordered, so ids sort roughly by creation and index well.
    id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' }),
    type: Type.String({ pattern: '^[a-z]+(\\.[a-z]+){2}$' }),
    version: Type.Integer({ minimum: 1 }),
    occurredAt: Type.String({ format: 'date-time' }),
    source: Type.Union([Type.Literal('auth'), Type.Literal('payments'), Type.Literal('admin'), Type.Literal('profile')]),
    correlationId: Type.String({ minLength: 1, maxLength: 200 }),
    causationId: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()]),
    data: Type.Record(Type.String(), Type.Unknown()),
    metadata: Type.Optional(EventMetadataSchema),
  },
  { additionalProperties: false },
);

/** An envelope whose `data` has not been narrowed to a type yet. */
export type AnyEventEnvelope = Static<typeof EnvelopeSchema>;

/** A typed envelope: `data` is the contract of `T`. */
export interface EventEnvelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  source: Source;
  correlationId: string;
  causationId: string | null;
  data: EventData<T>;
  metadata?: TraceMetadata;
}

export interface NewEvent<T extends EventType> {
  type: T;
  source: Source;
  data: EventData<T>;
  /** Defaults to the latest version of `type`. */
  version?: number;
  /** The request id / correlation id of the flow; defaults to the new event's id. */
  correlationId?: string;
  /** Id of the event (or command) that caused this one; null for a first cause. */
  causationId?: string | null;
  id?: string;
  occurredAt?: Date | string;
}

/**
 * Builds an envelope (does not validate: publishers validate with `assertValidEvent`). The active
 * trace context, if any, goes into `metadata` so consumers continue the producer's trace.
 */
export function createEvent<T extends EventType>(input: NewEvent<T>): EventEnvelope<T> {
  const id = input.id ?? uuidv7();
  const occurredAt = input.occurredAt ?? new Date();
  const metadata = traceMetadata();
  return {
    id,
    type: input.type,
    version: input.version ?? latestVersion[input.type],
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    source: input.source,
    correlationId: input.correlationId ?? id,
    causationId: input.causationId ?? null,
    data: input.data,
    ...(metadata ? { metadata } : {}),
  };
}

/** Builds the envelope of an event caused by another one (same correlation id, causation = cause). */
export function causedBy<T extends EventType>(cause: AnyEventEnvelope | EventEnvelope, input: NewEvent<T>): EventEnvelope<T> {
  return createEvent({ correlationId: cause.correlationId, causationId: cause.id, ...input });
}

const envelopeValidator = Compile(EnvelopeSchema);

export type EventCheck =
  | { ok: true; event: AnyEventEnvelope }
  | { ok: false; reason: 'malformed' | 'unknown-type' | 'schema-invalid'; detail: string };

/** Validates an envelope and its data against the contract of its type@version. */
export function checkEvent(value: unknown): EventCheck {
  if (!envelopeValidator.Check(value)) {
    const detail = [...envelopeValidator.Errors(value)]
      .slice(0, 5)
      .map((error) => `${error.instancePath || '/'} ${error.message}`)
      .join('; ');
    return { ok: false, reason: 'schema-invalid', detail: `envelope: ${detail}` };
  }
  const data = checkData(value.type, value.version, value.data);
  if (!data.ok) return data;
  return { ok: true, event: value };
}

export class InvalidEventError extends Error {
  readonly code = 'EVENTS_INVALID_EVENT';
  readonly reason: string;
  constructor(reason: string, detail: string) {
    super(`${reason}: ${detail}`);
    this.name = 'InvalidEventError';
    this.reason = reason;
  }
}

/** Throws `InvalidEventError` (code EVENTS_INVALID_EVENT) unless the event matches its contract. */
export function assertValidEvent(value: unknown): asserts value is AnyEventEnvelope {
  const check = checkEvent(value);
  if (!check.ok) throw new InvalidEventError(check.reason, check.detail);
}
