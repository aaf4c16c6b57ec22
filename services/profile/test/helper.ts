// Builds the profile app against a throwaway database, the real Redis and RabbitMQ (names
// prefixed per run), with tokens signed by a generated key.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { amqpProperties, createEventConnection, encodeEvent, exchangeName, queueNames, type AnyEventEnvelope } from '@bank/events';
import { createService, type Role } from '@bank/kit';
import { createTestDatabase, createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadProfileConfig } from '../src/config.ts';
import { waitFor, bearer } from '@bank/kit/testing';

export const RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

export async function buildProfile(t: { teardown(fn: () => unknown): void }) {
  const db = await createTestDatabase('profile');
  const keys = createTestKeys();
  const prefix = `test.${randomBytes(3).toString('hex')}.`;
  const config = loadProfileConfig({
    DATABASE_URL: db.url,
    REDIS_URL: LOCAL_REDIS_URL,
    RABBITMQ_URL,
    EVENTS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const service = await createService({
    name: 'profile',
    config,
    // Every test event is published as guest, so every source maps to guest.
    app: (fastify, opts) => app(fastify, { ...opts, publicKey: keys.publicKey, userForSource: () => 'guest' }),
  });
  await service.ready();
  const broker = createEventConnection(RABBITMQ_URL);
  const publisher = broker.createPublisher({ confirm: true });
  t.teardown(async () => {
    await service.close();
    await publisher.close();
    // Queues of this run only (the prefix makes them unique).
    const names = queueNames('profile', { prefix });
    for (const queue of [names.work, ...names.retry, names.dlq]) await broker.queueDelete({ queue }).catch(() => {});
    await broker.exchangeDelete({ exchange: exchangeName({ prefix }) }).catch(() => {});
    await broker.close();
    await db.drop();
  });

  const token = (claims: { sub?: string; role?: Role; sid?: string } = {}) =>
    keys.sign({ sub: claims.sub ?? randomUUID(), role: claims.role ?? 'CUSTOMER', sid: claims.sid ?? randomUUID() });

  /** Publishes an event as auth would (through the run's exchange, routing key = type). */
  const publish = async (event: AnyEventEnvelope) =>
    publisher.send({ exchange: exchangeName({ prefix }), routingKey: event.type, ...amqpProperties(event, 'guest') }, encodeEvent(event));

  return { app: service as FastifyInstance, token, publish, prefix };
}

export { waitFor, bearer };
