// The platform benchmark's baselines, measured in the same run on the same machine: what the
// bare infrastructure does at the same concurrency — PostgreSQL commits of single-row insert
// transactions (a throwaway database), and RabbitMQ publishes with publisher confirms (a
// throwaway queue). A payment costs several of each, so these bound the pipeline from above.
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { Connection } from 'rabbitmq-client';
import { settings } from '../lib/local-env.ts';

const seconds = 5;

async function forSeconds(concurrency: number, op: () => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await op();
        done++;
      }
    }),
  );
  return Math.round(done / seconds);
}

export async function postgresCommitsPerSecond(concurrency: number): Promise<number> {
  const name = `bench_platform_${process.pid}`;
  const admin = postgres(settings.pgAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(settings.pgAdminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: concurrency, onnotice: () => {} });
  try {
    await sql`create table commits (id uuid primary key, at timestamptz not null default now(), data jsonb not null)`;
    // postgres.js sends a bare insert in its own implicit transaction: one commit (fsync) each.
    return await forSeconds(concurrency, () => sql`insert into commits (id, data) values (${randomUUID()}, ${sql.json({ amount: 100 })})`);
  } finally {
    await sql.end();
    await admin.unsafe(`drop database ${name} with (force)`);
    await admin.end();
  }
}

export async function brokerConfirmsPerSecond(concurrency: number): Promise<number> {
  const connection = new Connection(process.env.BENCH_RABBITMQ_URL ?? `amqp://guest:guest@${settings.rabbitHost}:${settings.rabbitPort}`);
  try {
    const { queue } = await connection.queueDeclare({ queue: `bench.platform.confirms.${process.pid}`, durable: true });
    const publisher = connection.createPublisher({ confirm: true });
    const body = JSON.stringify({ type: 'payments.payment.created', data: { paymentId: randomUUID(), amount: 100 } });
    // Persistent messages, like the hub's: the broker confirms once it has written them.
    const rate = await forSeconds(concurrency, () => publisher.send({ routingKey: queue, durable: true }, body));
    await publisher.close();
    await connection.queueDelete(queue);
    return rate;
  } finally {
    await connection.close();
  }
}
