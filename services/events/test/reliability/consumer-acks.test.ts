// Consumer acknowledgements (patches/rabbitmq-client+5.0.8.patch, applied by patch-package at
// `npm install`): rabbitmq-client acks each message on its own; the patched Consumer sends the acks
// of one turn of the event loop together — one BasicAck(multiple) for a run of the oldest unsettled
// deliveries — so a committed inbox batch costs the broker one settlement, not one per message.
// A multiple ack covers every unsettled delivery up to its tag: these tests check it never reaches
// one that is still being handled, buffered or nacked (the broker would drop it unprocessed, or
// close the channel on the later ack of an unknown tag).
import t, { type Test } from 'tap';
import type { Channel, Connection } from 'rabbitmq-client';
import { paymentCreated } from '../helpers/events.ts';
import { createHub } from '../helpers/harness.ts';
import { assertExactlyOnce } from '../helpers/count.ts';
import { rabbitmqctl, sleep, waitFor } from '../helpers/infra.ts';

type AckParams = { deliveryTag?: number; multiple?: boolean };

/** Records every BasicAck sent on any channel of this process (the Channel prototype, restored at teardown). */
async function recordAcks(t: Test, connection: Connection): Promise<AckParams[]> {
  const channel = await connection.acquire();
  const proto = Object.getPrototypeOf(channel) as Channel;
  await channel.close();
  const original = proto.basicAck;
  const acks: AckParams[] = [];
  proto.basicAck = function (this: Channel, params: AckParams) {
    acks.push({ ...params });
    return original.call(this, params as never);
  } as Channel['basicAck'];
  t.teardown(() => {
    proto.basicAck = original;
  });
  return acks;
}

async function unacknowledged(vhost: string, queue: string): Promise<number> {
  const out = await rabbitmqctl(
    'list_queues',
    '-p',
    vhost,
    '--no-table-headers',
    'name',
    'messages_unacknowledged',
  );
  const line = out.split('\n').find((l) => l.split('\t')[0] === queue);
  return Number(line?.split('\t')[1] ?? NaN);
}

/** The broker's count of a quorum queue's unacknowledged messages, once it reads `expected` (its metrics lag by a few seconds). */
async function settlesAt(vhost: string, queue: string, expected: number): Promise<number> {
  let last = NaN;
  await waitFor(
    async () => (last = await unacknowledged(vhost, queue)) === expected,
    30_000,
    `${expected} unacknowledged`,
  ).catch(() => {});
  return last;
}

t.test('a committed inbox batch is acknowledged with multiple acks, exactly once', async (t) => {
  const hub = await createHub(t, 'acks');
  const acks = await recordAcks(t, hub.connect());
  const events = Array.from({ length: 400 }, () => paymentCreated());
  await hub.commit(events); // one transaction: the relay publishes them in a few batches
  const errors: unknown[] = [];
  const consumer = await hub.consume({ batchHandler: () => {} }); // the default batch: 100 per transaction
  consumer.consumer.on('error', (error) => errors.push(error));
  await hub.relay({ batchSize: 200 });
  await waitFor(async () => (await hub.effects()).length >= events.length, 60_000, '400 effects');
  await waitFor(() => consumer.consumer.stats.acknowledged >= events.length, 10_000, '400 acks');
  await sleep(200);
  await assertExactlyOnce(
    t,
    hub,
    events.map((e) => e.id),
  );
  t.same(errors, [], 'no consumer or channel error');
  t.equal(consumer.consumer.stats.acknowledged, events.length, 'every message acknowledged once');
  t.ok(
    acks.some((a) => a.multiple === true),
    'multiple acks were sent',
  );
  t.ok(acks.length <= events.length / 5, `${acks.length} BasicAck frames for ${events.length} messages`);
  await consumer.consumer.close(); // an unacknowledged message would go back to the queue
  t.equal(
    (await hub.connect().queueDeclare({ queue: 'admin.events', passive: true })).messageCount,
    0,
    'nothing was left unacknowledged',
  );
});

t.test('raw consumers on a quorum queue', async (t) => {
  const hub = await createHub(t, 'ackorder');
  const connection = hub.connect();
  const queueOptions = { durable: true, arguments: { 'x-queue-type': 'quorum' as const } };
  /** After close(): an unacknowledged delivery would be back in the queue. */
  const leftIn = async (queue: string) =>
    (await connection.queueDeclare({ queue, passive: true })).messageCount;
  /** Declares `queue` and publishes `count` persistent messages to it, bodies '0', '1', … */
  const fill = async (queue: string, count: number) => {
    await connection.queueDeclare({ queue, ...queueOptions });
    const publisher = connection.createPublisher({ confirm: true });
    for (let i = 0; i < count; i += 1)
      await publisher.send({ exchange: '', routingKey: queue, durable: true }, String(i));
    await publisher.close();
  };

  await t.test('a multiple ack never covers a delivery still handled, buffered or nacked', async (t) => {
    const acks = await recordAcks(t, connection);
    const queue = 'ackorder.work';
    await fill(queue, 30);

    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const handled: string[] = [];
    const errors: unknown[] = [];
    // concurrency 10, prefetch 30: 20 deliveries wait in the consumer's buffer (unsettled, not handled yet).
    const consumer = connection.createConsumer(
      { queue, queueOptions, qos: { prefetchCount: 30 }, concurrency: 10, requeue: false },
      async (msg) => {
        const body = String(msg.body);
        handled.push(body);
        if (body === '0') await firstHeld; // the oldest delivery stays unsettled
        if (body === '5') throw new Error('nacked'); // settled by a nack, in the middle of acked ones
      },
    );
    consumer.on('error', (error: Error) => {
      if (error.message !== 'nacked') errors.push(error);
    });
    await waitFor(
      () => consumer.stats.acknowledged === 28 && consumer.stats.dropped === 1,
      10_000,
      '28 acks and 1 nack',
    );
    await sleep(300);
    t.equal(
      await settlesAt(hub.vhost.vhost, queue, 1),
      1,
      'the held delivery is still unacknowledged at the broker',
    );
    t.notOk(
      acks.some((a) => a.multiple),
      'no multiple ack while the oldest delivery is unsettled',
    );

    releaseFirst();
    await waitFor(() => consumer.stats.acknowledged === 29, 10_000, 'the held delivery acked');
    await sleep(300);
    t.same(errors, [], 'no channel error (no ack of an unknown delivery tag)');
    t.equal(handled.length, 30, 'every message handled once, none redelivered');
    await consumer.close();
    t.equal(await leftIn(queue), 0, 'nothing was left unacknowledged');
  });

  await t.test(
    'deliveries settled in one turn of the event loop are acked with one multiple ack',
    async (t) => {
      const acks = await recordAcks(t, connection);
      const queue = 'ackrun.work';
      await fill(queue, 20);

      // Every handler waits for one gate, as an inbox batch's messages wait for its COMMIT.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let delivered = 0;
      const consumer = connection.createConsumer(
        { queue, queueOptions, qos: { prefetchCount: 20 }, concurrency: 20, requeue: false },
        async () => {
          delivered += 1;
          await gate;
        },
      );
      await waitFor(() => delivered === 20, 5_000, '20 deliveries');
      await sleep(300);
      open();
      await waitFor(() => consumer.stats.acknowledged === 20, 10_000, '20 acks');
      t.same(acks, [{ deliveryTag: 20, multiple: true }], 'one BasicAck(multiple) up to the last delivery');
      await consumer.close();
      t.equal(await leftIn(queue), 0, 'nothing was left unacknowledged');
    },
  );
});
