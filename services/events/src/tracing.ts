// W3C trace context across the broker. rabbitmq-client is not instrumented by OpenTelemetry, so
// the hub carries the context itself:
//   - createEvent stores the producing context (traceparent/tracestate) in the envelope's
//     metadata, so it travels with the outbox row however late the relay publishes it;
//   - the relay publishes each event inside a PRODUCER span whose parent is that stored context,
//     and injects the span's context into the AMQP headers;
//   - a consumer runs each delivery inside a CONSUMER span, child of the producer's context (a
//     batch: one span linking every message's context), so the handler's queries and the events it
//     emits join the same trace.
// Span names and attributes follow OpenTelemetry's messaging semantic conventions (rabbitmq).
// With no SDK registered, @opentelemetry/api is a no-op and nothing is added.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Link, type Span } from '@opentelemetry/api';

const tracer = trace.getTracer('@bank/events');

/** The W3C trace context of an event, as stored in its envelope's `metadata`. */
export interface TraceMetadata {
  traceparent?: string;
  tracestate?: string;
}

/** Headers (`traceparent`, `tracestate`) carrying the active (or given) context. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The active context as envelope metadata; undefined when no span is active (nothing to carry). */
export function traceMetadata(): TraceMetadata | undefined {
  return metadataOf(context.active());
}

function metadataOf(ctx: Context): TraceMetadata | undefined {
  const headers = traceHeaders(ctx);
  if (!headers.traceparent) return undefined;
  return headers.tracestate ? { traceparent: headers.traceparent, tracestate: headers.tracestate } : { traceparent: headers.traceparent };
}

/** The context carried by message headers or envelope metadata (string or Buffer values). */
export function extractContext(carrierLike: Record<string, unknown> | undefined, base: Context = ROOT_CONTEXT): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(carrierLike ?? {})) {
    if (typeof value === 'string') carrier[key] = value;
    else if (Buffer.isBuffer(value)) carrier[key] = value.toString('utf8');
  }
  return propagation.extract(base, carrier);
}

/** Runs `fn` inside the context carried by the message headers. */
export function withExtractedContext<T>(headers: Record<string, unknown> | undefined, fn: () => T): T {
  return context.with(extractContext(headers, context.active()), fn);
}

async function inSpan<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), fn);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

export interface PublishedMessage {
  exchange: string;
  routingKey: string;
  messageId: string;
  correlationId?: string;
}

/**
 * Runs `publish` inside a PRODUCER span `publish <exchange>` whose parent is `producedIn` (the
 * envelope metadata stored at createEvent), so headers built inside `publish` with
 * `traceHeaders()` carry this span to the consumers.
 */
export function withPublishSpan<T>(message: PublishedMessage, producedIn: TraceMetadata | undefined, publish: () => Promise<T>): Promise<T> {
  const parent = producedIn ? extractContext({ ...producedIn }) : context.active();
  const span = tracer.startSpan(
    `publish ${message.exchange}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'publish',
        'messaging.destination.name': message.exchange,
        'messaging.rabbitmq.destination.routing_key': message.routingKey,
        'messaging.message.id': message.messageId,
        ...(message.correlationId ? { 'messaging.message.conversation_id': message.correlationId } : {}),
      },
    },
    parent,
  );
  return context.with(parent, () => inSpan(span, publish));
}

/** What a consumer span needs to know about one delivery (a subset of rabbitmq-client's message). */
export interface DeliveredMessage {
  exchange?: string;
  routingKey?: string;
  messageId?: string;
  correlationId?: string;
  headers?: Record<string, unknown>;
}

function consumeAttributes(queue: string, msg: DeliveredMessage) {
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': msg.exchange ?? '',
    'messaging.destination.subscription.name': queue,
    'messaging.rabbitmq.destination.routing_key': msg.routingKey ?? '',
    ...(msg.messageId ? { 'messaging.message.id': msg.messageId } : {}),
    ...(msg.correlationId ? { 'messaging.message.conversation_id': msg.correlationId } : {}),
  };
}

/** Runs the handling of one delivery inside a CONSUMER span `process <queue>`, child of the producer's span. */
export function withConsumeSpan<T>(queue: string, msg: DeliveredMessage, handle: () => Promise<T>): Promise<T> {
  const parent = extractContext(msg.headers);
  const span = tracer.startSpan(`process ${queue}`, { kind: SpanKind.CONSUMER, attributes: consumeAttributes(queue, msg) }, parent);
  return context.with(parent, () => inSpan(span, handle));
}

/**
 * Runs ONE handler call made for several deliveries (a batch handler, batch-handler.ts) with a
 * CONSUMER span per delivery, each the child of its producer — what `withConsumeSpan` gives a
 * delivery handled alone, so a user action's trace keeps its consumer step (and the platform's
 * trace-chain test its `audited` span). A run of several: the call's statements stay in the batch's
 * span (they have several parents).
 */
export async function withConsumeSpans<T>(
  queue: string,
  messages: readonly DeliveredMessage[],
  handle: (traceOf: (index: number) => TraceMetadata | undefined) => Promise<T>,
): Promise<T> {
  // A run of one (the usual case below saturation) is handled exactly as alone: its statements
  // are children of its delivery, in the user action's trace.
  if (messages.length === 1) return withConsumeSpan(queue, messages[0]!, () => handle(() => traceMetadata()));
  // `bank.handler.run_size` tells a reader of one delivery's trace why the handler's statements
  // are not under this span: they ran once for the whole run, in the batch's span (which links here).
  const spans = messages.map((msg) =>
    tracer.startSpan(
      `process ${queue}`,
      { kind: SpanKind.CONSUMER, attributes: { ...consumeAttributes(queue, msg), 'bank.handler.run_size': messages.length } },
      extractContext(msg.headers),
    ),
  );
  // What a message's effects store as their trace context (to be continued later) is its own
  // delivery's, as when it is handled alone.
  const traceOf = (index: number) => {
    const span = spans[index];
    return span ? metadataOf(trace.setSpan(ROOT_CONTEXT, span)) : undefined;
  };
  try {
    return await handle(traceOf);
  } catch (error) {
    for (const span of spans) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs the handling of a batch inside ONE CONSUMER span `process <queue>` linked to every
 * message's producer span (a batch has many parents: semantic conventions use links).
 */
export function withBatchConsumeSpan<T>(queue: string, messages: readonly DeliveredMessage[], handle: () => Promise<T>): Promise<T> {
  const links: Link[] = [];
  for (const msg of messages) {
    const linked = trace.getSpanContext(extractContext(msg.headers));
    if (linked) links.push({ context: linked });
  }
  const span = tracer.startSpan(
    `process ${queue}`,
    {
      kind: SpanKind.CONSUMER,
      links,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.subscription.name': queue,
        'messaging.batch.message_count': messages.length,
      },
    },
    ROOT_CONTEXT,
  );
  return context.with(ROOT_CONTEXT, () => inSpan(span, handle));
}

/**
 * Runs `fn` in an INTERNAL span continuing a trace context stored earlier (a row's
 * `trace_context`): background work resumed by a poll loop joins the trace that scheduled it.
 * With nothing stored, `fn` runs untraced rather than as an orphan root span.
 */
export function withResumedTrace<T>(name: string, stored: TraceMetadata | null | undefined, fn: () => Promise<T>): Promise<T> {
  if (!stored?.traceparent) return fn();
  const parent = extractContext({ ...stored });
  if (!trace.getSpanContext(parent)) return fn();
  const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL }, parent);
  return context.with(parent, () => inSpan(span, fn));
}

/**
 * Starts an INTERNAL span continuing a stored context, for work that cannot run inside one
 * callback per item (a batch of processor steps in one transaction): the caller runs what belongs
 * to the item with `step.run(…)` and ends the span. Undefined with nothing stored.
 */
export interface ResumedSpan {
  run: <T>(fn: () => T) => T;
  end: () => void;
}
export function startResumedSpan(name: string, stored: TraceMetadata | null | undefined): ResumedSpan | undefined {
  if (!stored?.traceparent) return undefined;
  const parent = extractContext({ ...stored });
  if (!trace.getSpanContext(parent)) return undefined;
  const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL }, parent);
  const spanContext = trace.setSpan(parent, span);
  return { run: (fn) => context.with(spanContext, fn), end: () => span.end() };
}
