// Socket writes of publishes (patches/rabbitmq-client+5.0.8.patch, applied by patch-package at
// `npm install`): rabbitmq-client corked and uncorked the socket around each message, so every
// publish cost its own writev syscall — the largest single cost of the relay's Node CPU per event
// (docs/benchmarks/event-hub.md). The patched EncoderStream keeps the socket corked until the end
// of the tick: a relay batch's publishes leave in a few writes. These tests check that, and that
// nothing is lost, reordered or left unconfirmed by it — also past the socket's high-water mark,
// where writing waits for 'drain'.
import t from 'tap';
import type { Connection } from 'rabbitmq-client';
import { createHub } from '../helpers/harness.ts';

/** Counts the socket writes (each a write or writev syscall) of `connection` while `fn` runs. */
async function countSocketWrites(connection: Connection, fn: () => Promise<void>): Promise<number> {
  const socket = (connection as unknown as { _socket: { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void } })._socket;
  const write = socket._write;
  const writev = socket._writev;
  let writes = 0;
  socket._write = function (this: unknown, ...args: unknown[]) {
    writes += 1;
    return write.apply(this, args);
  };
  socket._writev = function (this: unknown, ...args: unknown[]) {
    writes += 1;
    return writev.apply(this, args);
  };
  try {
    await fn();
  } finally {
    socket._write = write;
    socket._writev = writev;
  }
  return writes;
}

t.test('the publishes of one tick leave in a few socket writes, all confirmed and in order', async (t) => {
  const hub = await createHub(t, 'pubwrites');
  const connection = hub.connect();
  const queue = 'pubwrites.work';
  await connection.queueDeclare({ queue, durable: true, arguments: { 'x-queue-type': 'quorum' } });
  const publisher = connection.createPublisher({ confirm: true, maxAttempts: 1 });
  t.teardown(() => publisher.close());
  await publisher.send({ exchange: '', routingKey: queue, durable: true }, 'warm-up'); // the channel is set up

  const cases = [
    { count: 200, bytes: 100 }, // ≈ 40 kB of frames: within the socket's high-water mark (64 KiB on Node 24)
    { count: 200, bytes: 4_000 }, // ≈ 800 kB: writing stops at the high-water mark and resumes on 'drain'
  ];
  let sent = 1;
  for (const { count, bytes } of cases) {
    const writes = await countSocketWrites(connection, async () => {
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          publisher.send({ exchange: '', routingKey: queue, durable: true }, `${sent + i}:${'x'.repeat(bytes)}`),
        ),
      );
    });
    sent += count;
    // One writev per message before the patch (≥ count); now one per tick, or per high-water mark's worth.
    const highWaterMark = (connection as unknown as { _socket: { writableHighWaterMark: number } })._socket.writableHighWaterMark;
    const bound = Math.ceil((count * bytes) / highWaterMark) + 10;
    t.ok(writes <= bound, `${count} publishes of ${bytes} bytes: ${writes} socket writes (≤ ${bound}; one per message before)`);
  }

  // Every message reached the queue once, in publish order.
  const bodies: string[] = [];
  const consumer = connection.createConsumer({ queue, queueOptions: { passive: true }, qos: { prefetchCount: 100 } }, (msg) => {
    bodies.push(String(msg.body).split(':')[0]!);
  });
  const deadline = Date.now() + 30_000;
  while (bodies.length < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await consumer.close();
  t.same(bodies, ['warm-up', ...Array.from({ length: sent - 1 }, (_, i) => String(i + 1))], `${sent} messages, once each, in publish order`);
});
