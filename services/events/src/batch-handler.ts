// A handler that takes the events of a batch at once: in a batched inbox transaction the
// consumer calls it ONCE with every consecutive message it handles (in delivery order), so it can
// write them in one statement (e.g. one multi-row insert) instead of one round trip per event.
// Round trips are what a serial batch waits on: each one waits for PostgreSQL to be scheduled,
// and on a busy machine that wait, not the CPU, made a batch of 100 single-row handlers take
// 0.4–1 s (docs/benchmarks/event-hub.md).
//
// It is still an ordinary EventHandler (called with one event) for the paths that handle a
// message alone: `batch: false`, the per-message SAVEPOINT re-run after a handler failed in a
// batch, and a failed batch transaction replayed message by message. A failure of the batch call
// therefore costs what a failure of a single-event handler costs: the batch re-runs with a
// savepoint per message, and only the failing event goes to the retry path.
import type { AnyEventEnvelope, EventEnvelope } from './envelope.ts';
import type { EventType } from './contracts.ts';
import { traceMetadata, type TraceMetadata } from './tracing.ts';

/**
 * Writes the effects of several events, in the order given, within `tx`. `traceOf(i)` is the trace
 * context of the i-th event's delivery (its CONSUMER span) as envelope metadata — what
 * `traceMetadata()` gives a handler called alone — for effects that store it (payments'
 * acceptance stores it for the processor's first step); undefined when not traced.
 */
export type EventBatchHandler<Tx> = (events: ReadonlyArray<AnyEventEnvelope>, tx: Tx, traceOf: (index: number) => TraceMetadata | undefined) => Promise<void>;

/** An event handler that can also take a run of events in one call (see `batchHandler`). */
export interface BatchCapableHandler<Tx> {
  (event: EventEnvelope<EventType>, tx: Tx): Promise<void>;
  readonly handleBatch: EventBatchHandler<Tx>;
}

/**
 * Declares a handler by its batch form. Use it when the effects of N events can be written in one
 * statement and do not depend on each other within the batch beyond their order (the audit log:
 * one row per event). The same function may be registered for several types: consecutive
 * messages of those types share one call.
 */
export function batchHandler<Tx>(handleBatch: EventBatchHandler<Tx>): BatchCapableHandler<Tx> {
  const handler = (event: EventEnvelope<EventType>, tx: Tx) => handleBatch([event as AnyEventEnvelope], tx, () => traceMetadata());
  return Object.assign(handler, { handleBatch });
}

/** The batch form of a handler, when it has one. */
export function batchFormOf<Tx>(handler: unknown): EventBatchHandler<Tx> | undefined {
  const handleBatch = (handler as Partial<BatchCapableHandler<Tx>> | undefined)?.handleBatch;
  return typeof handleBatch === 'function' ? handleBatch : undefined;
}
