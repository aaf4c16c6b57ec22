// One trace per user action, across the broker (issue 12 item 1). The platform runs with
// OTEL_EXPORTER_OTLP_ENDPOINT pointing at the OTLP/HTTP receiver this test starts (the stack
// phase of scripts/run-tests.ts sets it). A payment is created with a `traceparent` as the
// browser sends it, and the test follows it: gateway → payments (HTTP) → outbox → relay →
// payments' processor (consumer, then two worker steps) → completed → admin's audit (consumer)
// and the gateway's bridge pushing to the sockets (the payment, and the audit announcement). Asserted: one
// trace id, each span's parent is the one it must be, and no span of the trace is an orphan.
import { randomBytes, randomUUID } from 'node:crypto';
import t from 'tap';
import { formatTraceTree, startOtlpReceiver, type ReceivedSpan } from '@bank/kit/otlp-receiver';
import { api, eventually, newCustomer } from './helper.ts';
import { connectAs } from './realtime-helper.ts';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
const KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

if (!endpoint) {
  t.comment('trace chain not run: start the platform (and this test) with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318, as `npm test -- stack` does');
  t.pass('nothing to check without an OTLP endpoint');
} else {
  t.test('create payment → processor → completed → audited → pushed: one trace, correct parents, no orphans', async (t) => {
    const receiver = await startOtlpReceiver({ port: Number(new URL(endpoint).port || 4318), host: new URL(endpoint).hostname });
    t.teardown(() => receiver.close());

    const alice = await newCustomer('trace-alice');
    const bob = await newCustomer('trace-bob');
    const socket = await connectAs(alice);
    t.teardown(() => socket.close());

    const traceId = randomBytes(16).toString('hex');
    const browserSpanId = randomBytes(8).toString('hex');
    const body = { recipientEmail: bob.email, amount: 1250, currency: 'EUR', type: 'instant', description: 'trace chain' };
    const key = randomUUID();
    // payments learns about bob from auth events: retry (same key, same trace) until it knows him.
    const created = await eventually(async () => {
      const res = await api('POST', '/api/payments', {
        token: alice.accessToken,
        body,
        headers: { 'idempotency-key': key, traceparent: `00-${traceId}-${browserSpanId}-01` },
      });
      return res.status === 201 ? res : undefined;
    }, 20_000);
    const paymentId: string = (created.body.payment ?? created.body).id;
    await socket.next((m) => m.type === 'payment:completed' && m.payload.paymentId === paymentId, 30_000, 'payment:completed on the socket');

    const ofTrace = () => receiver.spans.filter((span) => span.traceId === traceId);
    const routed = (spans: ReceivedSpan[], kind: number, routingKey: string, service?: string) =>
      spans.find((s) => s.kind === kind && s.attributes['messaging.rabbitmq.destination.routing_key'] === routingKey && (!service || s.service === service));
    // Spans arrive in batches from six processes, each exporting one batch at a time: an exporter
    // that was retrying (ECONNREFUSED, with backoff up to 5 s) while no receiver listened delivers
    // the spans queued behind that batch only after its next attempt. So wait until every link the
    // assertions below look at has arrived — from every service — not only the chain's last ones.
    const spans = await eventually(async () => {
      const all = ofTrace();
      const has = (service: string, kind: number, routingKey?: string) =>
        all.some((s) => s.service === service && s.kind === kind && (!routingKey || s.attributes['messaging.rabbitmq.destination.routing_key'] === routingKey));
      const done =
        has('gateway', KIND.server) &&
        has('payments', KIND.server) &&
        has('payments', KIND.producer, 'payments.payment.created') &&
        has('payments', KIND.consumer, 'payments.payment.created') &&
        all.filter((s) => s.name === 'payments.processor step').length >= 2 &&
        has('payments', KIND.producer, 'payments.payment.completed') &&
        has('admin', KIND.consumer, 'payments.payment.completed') &&
        has('gateway', KIND.consumer, 'payments.payment.completed');
      return done ? all : undefined;
    }, 45_000, 250);
    // Stragglers of the same trace (the exporters' next batch).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const trace = ofTrace();
    t.comment(`trace ${traceId} (${trace.length} spans)\n${formatTraceTree(trace)}`);
    t.ok(spans.length > 0);

    const byId = new Map(trace.map((span) => [span.spanId, span]));
    // A batch handler (batch-handler.ts) called for a run of several deliveries runs its statements
    // once, in the consumer batch's own span — another trace, linked to each message's publish —
    // and each delivery's span carries `bank.handler.run_size`. Alone, they are the delivery's children.
    const statementsOf = (delivery: ReceivedSpan | undefined, publish: ReceivedSpan | undefined) => {
      if (!delivery) return [];
      if (Number(delivery.attributes['bank.handler.run_size'] ?? 1) <= 1) return trace.filter((s) => s.parentSpanId === delivery.spanId);
      const batch = receiver.spans.find((s) => s.kind === KIND.consumer && s.service === delivery.service && s.links.some((l) => l.spanId === publish?.spanId));
      t.comment(`${delivery.service} handled ${delivery.name} in a run of ${delivery.attributes['bank.handler.run_size']}: its statements are in batch span ${batch?.spanId}`);
      return batch ? receiver.spans.filter((s) => s.parentSpanId === batch.spanId) : [];
    };
    const parentOf = (span: ReceivedSpan | undefined) => (span?.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const orphans = trace.filter((span) => span.parentSpanId !== browserSpanId && !byId.has(span.parentSpanId ?? ''));
    t.same(orphans.map((s) => `${s.service} ${s.name}`), [], 'every span has its parent in the trace (the root is the browser span)');
    t.same([...new Set(trace.filter((s) => !byId.has(s.parentSpanId ?? '')).map((s) => s.parentSpanId))], [browserSpanId], 'one root: the browser’s span');

    // HTTP: browser → gateway → payments.
    const gatewayServer = trace.find((s) => s.service === 'gateway' && s.kind === KIND.server);
    t.equal(gatewayServer?.parentSpanId, browserSpanId, 'the gateway continues the browser’s traceparent');
    const paymentsServer = trace.find((s) => s.service === 'payments' && s.kind === KIND.server);
    t.ok(paymentsServer, 'payments has a server span in the trace');
    let ancestor = parentOf(paymentsServer);
    while (ancestor && ancestor !== gatewayServer) ancestor = parentOf(ancestor);
    t.equal(ancestor, gatewayServer, 'the payments request descends from the gateway request');
    t.ok(
      trace.some((s) => s.service === 'payments' && s.attributes['db.operation.name'] === 'INSERT' && s.attributes['db.collection.name'] === 'payments'),
      'the INSERT into payments is a span of the request',
    );

    // Broker: created → payments' processor (consumer) → two worker steps.
    const publishCreated = routed(trace, KIND.producer, 'payments.payment.created', 'payments');
    t.ok(publishCreated, 'the relay published payments.payment.created in the trace');
    const acceptedBy = trace.find((s) => s.service === 'payments' && s.kind === KIND.consumer && s.parentSpanId === publishCreated?.spanId);
    t.ok(acceptedBy, 'payments consumed its created event as a child of the publish');
    t.equal(acceptedBy?.attributes['messaging.system'], 'rabbitmq');
    t.ok(
      statementsOf(acceptedBy, publishCreated).some((s) => s.attributes['db.operation.name'] === 'UPDATE' && s.attributes['db.collection.name'] === 'payments'),
      'the handler’s UPDATE is a child of the delivery (or, handled in a run of several, of the batch span linked to its publish)',
    );
    const steps = trace.filter((s) => s.name === 'payments.processor step').sort((a, b) => Number(a.startNs - b.startNs));
    t.equal(steps.length, 2, 'pending → processing → completed: two worker steps');
    t.equal(steps[0]?.parentSpanId, acceptedBy?.spanId, 'the first step continues the acceptance');
    t.equal(steps[1]?.parentSpanId, steps[0]?.spanId, 'the second step continues the first');

    // completed → admin's audit, and the gateway's bridge.
    const publishCompleted = routed(trace, KIND.producer, 'payments.payment.completed', 'payments');
    t.equal(publishCompleted?.parentSpanId, steps[1]?.spanId, 'payments.payment.completed was produced by the second step');
    const audited = trace.find((s) => s.service === 'admin' && s.kind === KIND.consumer && s.parentSpanId === publishCompleted?.spanId);
    t.ok(audited, 'admin consumed payments.payment.completed as a child of its publish');
    t.ok(
      statementsOf(audited, publishCompleted).some((s) => s.service === 'admin' && s.attributes['db.operation.name'] === 'INSERT'),
      'the audit INSERT is a child of admin’s delivery (or, handled in a run of several, of the batch span linked to its publish)',
    );
    // Admin no longer re-publishes an audit event per event: the gateway announces the audit entry
    // to admin sockets from the original event, in the same delivery as the customer's push.
    t.notOk(routed(trace, KIND.producer, 'admin.audit.created', 'admin'), 'no admin.audit.created round trip through the broker');
    t.equal(routed(trace, KIND.consumer, 'payments.payment.completed', 'gateway')?.parentSpanId, publishCompleted?.spanId, 'the gateway pushed completed (and its audit announcement) as a child of its publish');
    t.notMatch(JSON.stringify(trace.map((s) => s.attributes)), new RegExp(bob.email.replace(/[.+]/g, '\\$&')), 'no personal data (the recipient’s e-mail) in any span');
  });
}
