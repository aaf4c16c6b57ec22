// 3. A poison event: exactly 3 retries spaced ≈ 1 s / 2 s / 4 s, then the DLQ; replay brings it back.
// 6. Schema-invalid, unknown-version and unauthorised-source events → DLQ with the reason.
import t from 'tap';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  amqpProperties,
  countDeadLetters,
  deleteUsers,
  encodeEvent,
  exchangeName,
  listDeadLetters,
  provisionServiceUsers,
  replayDeadLetters,
  type AnyEventEnvelope,
  type ConsumeOutcome,
} from '../../src/index.ts';
import { paymentCreated, userRegistered } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { sleep, waitFor } from '../helpers/infra.ts';

t.test('poison event: 3 retries with backoff, dead letter, replay', async (t) => {
  const hub = await createHub(t, 'poison');
  const poison = paymentCreated();
  const healthy = paymentCreated();
  let failing = true;
  // Settled deliveries of the poison event (retried ×3, then dead-lettered), timed when settled:
  // with batched inbox transactions (the default) a failing handler runs twice per delivery (the
  // savepoint-less attempt, then the rerun with savepoints), so handler calls are not deliveries.
  const attempts: number[] = [];
  let handlerCalls = 0;
  const outcomes: ConsumeOutcome[] = [];
  await hub.consume({
    failWhen: (event) => {
      if (event.id !== poison.id) return false;
      handlerCalls += 1;
      return failing;
    },
    onOutcome: (outcome) => {
      outcomes.push(outcome);
      const id = 'event' in outcome ? outcome.event.id : outcome.messageId;
      if (id === poison.id && (outcome.result === 'retried' || outcome.result === 'dead-lettered')) attempts.push(performance.now());
    },
  });
  await hub.relay();
  await hub.commit([poison, healthy]);
  const connection = hub.connect();
  await waitFor(async () => (await countDeadLetters(connection, { service: 'admin' })) === 1, 15_000, 'the poison event in the DLQ');

  t.equal(attempts.length, 4, 'first delivery + exactly 3 retries');
  t.ok(handlerCalls >= 4 && handlerCalls <= 8, `handler ran ${handlerCalls} times for 4 deliveries (≤ 2 per delivery in a batch)`);
  const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
  t.comment(`retry gaps (ms): ${gaps.map((gap) => Math.round(gap)).join(', ')}`);
  for (const [i, expected] of [1_000, 2_000, 4_000].entries()) {
    t.ok(gaps[i]! >= expected - 50 && gaps[i]! <= expected + 750, `retry ${i + 1} after ≈ ${expected} ms (${Math.round(gaps[i]!)})`);
  }
  t.equal(outcomes.filter((o) => o.result === 'retried').length, 3);
  await assertExactlyOnce(t, hub, [healthy.id]);

  const [dead] = await listDeadLetters(connection, { service: 'admin' });
  t.match(dead, { eventId: poison.id, type: 'payments.payment.created', reason: 'handler-failed', retries: 3, detail: /poison/ });
  t.equal((dead!.body as AnyEventEnvelope).id, poison.id);
  t.equal(await countDeadLetters(connection, { service: 'admin' }), 1, 'listing does not remove');

  failing = false;
  const replay = await replayDeadLetters(connection, { service: 'admin', ids: [poison.id] });
  t.same(replay, { replayed: 1, eventIds: [poison.id] });
  await waitFor(async () => (await hub.effects()).length === 2, 10_000, 'the replayed event');
  await assertExactlyOnce(t, hub, [healthy.id, poison.id]);
  t.equal(await countDeadLetters(connection, { service: 'admin' }), 0);
});

t.test('invalid, unknown and unauthorised events are dead-lettered with the reason', async (t) => {
  const hub = await createHub(t, 'reject');
  const tag = randomBytes(3).toString('hex');
  // Leading '-': generated base64url passwords can start with one, and rabbitmqctl must not read it as an option.
  const password = `-${randomBytes(12).toString('hex')}`;
  const users = { auth: `evt_${tag}_auth`, payments: `evt_${tag}_payments` };
  t.teardown(() => deleteUsers(Object.values(users)));
  const provisioned = await provisionServiceUsers(
    [
      { service: 'auth', user: users.auth, password },
      { service: 'payments', user: users.payments, password },
    ],
    { vhost: hub.vhost.vhost },
  );
  t.same(provisioned.map((p) => p.created), [true, true]);
  const again = await provisionServiceUsers([{ service: 'auth', user: users.auth, password }], { vhost: hub.vhost.vhost });
  t.equal(again[0]!.created, false, 'provisioning is idempotent');

  const userForSource = (source: string) => (source === 'auth' ? users.auth : source === 'payments' ? users.payments : source);
  const outcomes: ConsumeOutcome[] = [];
  await hub.consume({ userForSource, onOutcome: (o) => outcomes.push(o) }); // declared by guest (topology owner in tests)

  const asAuth = hub.connect(users.auth, password).createPublisher({ confirm: true });
  const asPayments = hub.connect(users.payments, password).createPublisher({ confirm: true });
  const send = (publisher: typeof asAuth, user: string, event: unknown) => {
    const e = event as AnyEventEnvelope;
    return publisher.send({ exchange: exchangeName(), routingKey: e.type, ...amqpProperties(e, user) }, encodeEvent(e));
  };

  const good = paymentCreated();
  const impersonated = paymentCreated(); // auth's user claiming source=payments
  const wrongPrefix = { ...paymentCreated(), source: 'auth' }; // auth may not publish payments.*
  const invalid = { ...paymentCreated(), data: { ...paymentCreated().data, amount: 12.5 } };
  const unknown = { ...paymentCreated(), version: 2 };
  await send(asPayments, users.payments, good);
  await send(asAuth, users.auth, impersonated);
  await send(asAuth, users.auth, wrongPrefix);
  await send(asPayments, users.payments, invalid);
  await send(asPayments, users.payments, unknown);
  // RabbitMQ itself refuses a forged user-id.
  await t.rejects(send(asAuth, users.payments, paymentCreated()), 'broker rejects a user-id that is not the connection user');

  const connection = hub.connect();
  await waitFor(async () => (await countDeadLetters(connection, { service: 'admin' })) === 4, 10_000, '4 dead letters');
  await sleep(200);
  await assertExactlyOnce(t, hub, [good.id]);
  const dead = await listDeadLetters(connection, { service: 'admin' });
  const reasonOf = (id: string) => dead.find((d) => d.eventId === id)?.reason;
  t.equal(reasonOf(impersonated.id), 'unauthorised-source');
  t.equal(reasonOf(wrongPrefix.id), 'unauthorised-source');
  t.equal(reasonOf(invalid.id), 'schema-invalid');
  t.equal(reasonOf(unknown.id), 'unknown-type');
  t.match(dead.find((d) => d.eventId === invalid.id)?.detail, /amount/);
  t.match(dead.find((d) => d.eventId === impersonated.id)?.detail, new RegExp(`published by user ${users.auth}`));
  t.equal(outcomes.filter((o) => o.result === 'dead-lettered').length, 4);
  t.ok(userRegistered(randomUUID()).id, 'sanity');
});
