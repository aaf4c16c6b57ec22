// Builds the admin app against a throwaway database, the real Redis and RabbitMQ (names
// prefixed per run, guest user), with tokens signed by a generated key unless told otherwise.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { amqpProperties, CONSUMING, createEventConnection, encodeEvent, exchangeName, queueNames, type AnyEventEnvelope } from './events-helpers.ts';
import { createService, type Role } from '@bank/kit';
import { createTestDatabase, createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadAdminConfig } from '../src/config.ts';
import { waitFor, bearer } from '@bank/kit/testing';

export const RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
/** A port nothing listens on (connection refused at once): one the OS just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
export const CLOSED_URL = `http://127.0.0.1:${await closedPort()}`;

export async function buildAdmin(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}, opts: { jwks?: boolean } = {}) {
  const db = await createTestDatabase('admin');
  const keys = createTestKeys();
  const prefix = `test.${randomBytes(3).toString('hex')}.`;
  const config = loadAdminConfig({
    DATABASE_URL: db.url,
    REDIS_URL: LOCAL_REDIS_URL,
    RABBITMQ_URL,
    EVENTS_PREFIX: prefix,
    AUTH_URL: CLOSED_URL,
    PAYMENTS_URL: CLOSED_URL,
    PROFILE_URL: CLOSED_URL,
    GATEWAY_URL: CLOSED_URL,
    UPSTREAM_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  const service = await createService({
    name: 'admin',
    config,
    app: (fastify, o) => app(fastify, { ...o, ...(opts.jwks ? {} : { publicKey: keys.publicKey }), userForSource: () => 'guest' }),
  });
  await service.ready();
  const broker = createEventConnection(RABBITMQ_URL);
  const publisher = broker.createPublisher({ confirm: true });
  t.teardown(async () => {
    await service.close();
    await publisher.close();
    // Queues of this run only (the prefix makes them unique).
    for (const svc of CONSUMING) {
      const names = queueNames(svc, { prefix });
      for (const queue of [names.work, ...names.retry, names.dlq]) await broker.queueDelete({ queue }).catch(() => {});
    }
    await broker.exchangeDelete({ exchange: exchangeName({ prefix }) }).catch(() => {});
    await broker.close();
    await db.drop();
  });

  const token = (claims: { sub?: string; role?: Role; sid?: string } = {}) =>
    keys.sign({ sub: claims.sub ?? randomUUID(), role: claims.role ?? 'ADMIN', sid: claims.sid ?? randomUUID() });

  /** Publishes an event through the run's exchange (routing key = type), as guest. */
  const publish = async (event: AnyEventEnvelope) =>
    publisher.send({ exchange: exchangeName({ prefix }), routingKey: event.type, ...amqpProperties(event, 'guest') }, encodeEvent(event));

  return { app: service as FastifyInstance, token, publish, prefix, broker, publisher, db };
}

export { waitFor, bearer };
