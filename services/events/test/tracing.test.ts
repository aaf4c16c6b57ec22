// One trace across the broker, with the real RabbitMQ and PostgreSQL and the real OpenTelemetry SDK
// (spans kept in memory): an event created inside a request span carries that context in its
// envelope metadata through the outbox; the relay publishes it in a PRODUCER span child of the
// request; the consumer handles it in a CONSUMER span child of the publish, inside which the
// handler's INSERT and the event it emits belong to the same trace; a batch consumer's span
// links every message it handled.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { dbTargetOf, traceSql } from '@bank/kit/db-tracing';
import { addToOutbox, batchHandler, causedBy, createEventConsumer, type EventHandler, type SqlExecutor } from '../src/index.ts';
import { createHub } from './helpers/harness.ts';
import { paymentCreated } from './helpers/events.ts';

const exporter = new InMemorySpanExporter();
const sdk = new NodeSDK({ serviceName: 'events-tracing-test', spanProcessors: [new SimpleSpanProcessor({ exporter })], instrumentations: [] });
sdk.start();
t.teardown(() => sdk.shutdown());

const spans = () => exporter.getFinishedSpans();
const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;
const routingKey = (span: ReadableSpan) => span.attributes['messaging.rabbitmq.destination.routing_key'];

async function until<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

t.test('producer context → outbox → relay → consumer → handler writes and emitted events', async (t) => {
  const hub = await createHub(t, 'tracing');
  const tracedDb = drizzle(traceSql(hub.db.sql, dbTargetOf(hub.db.url)));
  // The handler writes its effect and emits an event caused by the one it handles.
  const handle: EventHandler<'payments.payment.created', SqlExecutor> = async (event, tx) => {
    await tx.execute(sql`insert into effects (consumer, event_id, aggregate_id, seq) values ('admin', ${event.id}::uuid, ${event.data.paymentId}, 1)` as never);
    await addToOutbox(tx, causedBy(event, { type: 'admin.audit.created', source: 'admin', data: { auditId: randomUUID(), eventId: event.id, eventType: event.type, userId: event.data.userId } }));
  };
  const consumer = await createEventConsumer({
    service: 'admin',
    connection: hub.connect(),
    db: tracedDb as never,
    handlers: { 'payments.payment.created': handle } as never,
    types: ['payments.payment.created'],
    userForSource: () => 'guest',
  });
  t.teardown(() => consumer.close());
  const batchConsumer = await createEventConsumer({
    service: 'profile',
    connection: hub.connect(),
    db: tracedDb as never,
    handlers: { 'payments.payment.created': async () => {} } as never,
    types: ['payments.payment.created'],
    batch: { size: 10, maxWaitMs: 200 },
    userForSource: () => 'guest',
  });
  t.teardown(() => batchConsumer.close());

  // The "request" that creates two payments.
  const request = trace.getTracer('test').startSpan('POST /payments', { kind: SpanKind.SERVER });
  const events = context.with(trace.setSpan(context.active(), request), () => [paymentCreated(), paymentCreated()]);
  request.end();
  const traceId = request.spanContext().traceId;
  t.match(events[0]!.metadata?.traceparent, new RegExp(`^00-${traceId}-${request.spanContext().spanId}-01$`), 'the envelope carries the producing context');
  await hub.commit(events);
  const [stored] = await hub.db.sql<{ payload: { metadata?: { traceparent?: string } } }[]>`select payload from outbox where event_id = ${events[0]!.id}`;
  t.equal(stored?.payload.metadata?.traceparent, events[0]!.metadata?.traceparent, 'stored with the outbox row');
  await hub.relay({ pollIntervalMs: 100 });

  const auditPublish = await until(() => spans().find((s) => s.kind === SpanKind.PRODUCER && routingKey(s) === 'admin.audit.created'));
  const batchSpan = await until(() => spans().find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.destination.subscription.name'] === 'profile.events' && s.links.length === 2) ?? spans().find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.batch.message_count'] !== undefined && s.links.length >= 1));

  const publish = spans().find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.message.id'] === events[0]!.id);
  t.ok(publish, 'the relay published in a PRODUCER span');
  t.equal(publish?.spanContext().traceId, traceId, 'in the request’s trace');
  t.equal(parentOf(publish), request.spanContext().spanId, 'child of the request that created the event');
  t.equal(publish?.attributes['messaging.system'], 'rabbitmq');
  t.equal(publish?.name, `publish ${publish?.attributes['messaging.destination.name']}`);

  const processed = spans().find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.message.id'] === events[0]!.id && s.attributes['messaging.destination.subscription.name'] === 'admin.events');
  t.ok(processed, 'admin processed it in a CONSUMER span');
  t.equal(parentOf(processed), publish?.spanContext().spanId, 'child of the publish');
  t.equal(processed?.spanContext().traceId, traceId);

  const insert = spans().find((s) => s.name === 'INSERT effects' && s.spanContext().traceId === traceId);
  t.ok(insert, 'the handler’s INSERT has a span');
  t.equal(parentOf(insert), processed?.spanContext().spanId, 'child of the delivery');
  t.equal(insert?.attributes['db.system.name'], 'postgresql');
  t.equal(insert?.attributes['db.collection.name'], 'effects');
  t.equal(insert?.attributes['db.operation.name'], 'INSERT');
  t.notOk(Object.values(insert?.attributes ?? {}).some((value) => String(value).includes(events[0]!.data.paymentId)), 'no parameter recorded');

  const emittedByFirst = spans().filter((s) => s.kind === SpanKind.PRODUCER && routingKey(s) === 'admin.audit.created' && s.spanContext().traceId === traceId);
  t.ok(auditPublish);
  t.ok(
    emittedByFirst.some((s) => parentOf(s) === processed?.spanContext().spanId),
    'the event emitted by the handler is published as a child of the delivery that emitted it',
  );

  t.equal(batchSpan.kind, SpanKind.CONSUMER, 'the batch consumer has a CONSUMER span');
  const linkedTo = new Set(batchSpan.links.map((link) => link.context.spanId));
  t.ok(publish && linkedTo.has(publish.spanContext().spanId), 'linked to the publish of a message it handled');
});

t.test('a batch handler: one call for the batch, still a CONSUMER span per message, child of its publish', async (t) => {
  const hub = await createHub(t, 'tracing-batch-handler');
  let calls = 0;
  const stored = new Map<string, string | undefined>();
  const consumer = await createEventConsumer({
    service: 'admin',
    connection: hub.connect(),
    db: drizzle(hub.db.sql) as never,
    handlers: {
      'payments.payment.created': batchHandler(async (batch, _tx, traceOf) => {
        calls += 1;
        batch.forEach((event, i) => stored.set(event.id, traceOf(i)?.traceparent));
      }),
    } as never,
    types: ['payments.payment.created'],
    userForSource: () => 'guest',
  });
  t.teardown(() => consumer.close());
  const request = trace.getTracer('test').startSpan('POST /payments', { kind: SpanKind.SERVER });
  const events = context.with(trace.setSpan(context.active(), request), () => [paymentCreated(), paymentCreated(), paymentCreated()]);
  request.end();
  await hub.commit(events);
  await hub.relay({ pollIntervalMs: 100 });
  const consumed = (id: string) =>
    spans().find((s) => s.kind === SpanKind.CONSUMER && s.attributes['messaging.message.id'] === id && s.attributes['messaging.destination.subscription.name'] === 'admin.events');
  await until(() => (events.every((e) => consumed(e.id)) ? true : undefined));
  for (const event of events) {
    const publish = spans().find((s) => s.kind === SpanKind.PRODUCER && s.attributes['messaging.message.id'] === event.id);
    t.equal(parentOf(consumed(event.id)), publish?.spanContext().spanId, `message ${event.id.slice(0, 8)}: its CONSUMER span is a child of its publish`);
    t.equal(consumed(event.id)?.spanContext().traceId, request.spanContext().traceId, 'in the request’s trace');
    t.match(stored.get(event.id), new RegExp(`^00-${request.spanContext().traceId}-${consumed(event.id)?.spanContext().spanId}-`), 'the trace context its effects may store is its own delivery’s');
  }
  t.ok(calls >= 1 && calls <= events.length, `the batch handler was called ${calls}× for ${events.length} messages`);
  // A delivery handled in a run of several says so (its statements are in the batch's span); one
  // handled alone does not: Σ 1/run size over the deliveries is the number of handler calls.
  const runs = events.reduce((n, e) => n + 1 / Number(consumed(e.id)?.attributes['bank.handler.run_size'] ?? 1), 0);
  t.equal(Math.round(runs), calls, 'each delivery’s span carries the size of the run it was handled in');
});
