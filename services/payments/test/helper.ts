// Builds the payments app against a throwaway database, the real Redis (a cache namespace per
// run) and the real RabbitMQ (a name prefix per run; queues and exchange deleted afterwards).
// Users reach the recipients replica the production way: an auth.user.registered event.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { createService } from '@bank/kit';
import { createTestDatabase, createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import { addToOutbox, createEvent, createEventConnection, exchangeName, queueNames } from '@bank/events';
import app from '../src/app.ts';
import { loadPaymentsConfig } from '../src/config.ts';
import { findUserById } from '../src/repositories/users.ts';
import { waitFor } from '@bank/kit/testing';

export const keys = createTestKeys();
export const RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

type T = { teardown(fn: () => unknown): void };

/** `through` routes the service's database connections elsewhere (a fault proxy: database-down.test.ts). */
export async function buildPayments(t: T, env: Record<string, string> = {}, through: { databaseUrl?: (url: string) => string } = {}) {
  const db = await createTestDatabase('payments');
  const run = randomBytes(4).toString('hex');
  const prefix = `test.${run}.`;
  const namespace = `t-${run}`;
  const config = loadPaymentsConfig({
    DATABASE_URL: through.databaseUrl?.(db.url) ?? db.url,
    REDIS_URL: LOCAL_REDIS_URL,
    RABBITMQ_URL,
    EVENTS_PREFIX: prefix,
    CACHE_NAMESPACE: namespace,
    // No admin in unit tests (a closed port): the catalogue defaults apply unless a test stubs it.
    ADMIN_URL: 'http://127.0.0.1:9',
    // Payments stay pending unless a test asks for a fast processor.
    PROCESSOR_STEP_DELAY_MS: '600000',
    PROCESSOR_POLL_INTERVAL_MS: '20',
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...env,
  });
  const service = await createService({
    name: 'payments',
    config,
    app: (fastify, opts) => app(fastify, { ...opts, publicKey: keys.publicKey, eventsUserForSource: () => 'guest' }),
  });
  await service.ready();
  t.teardown(async () => {
    await service.close();
    await cleanUp(prefix, namespace);
    await db.drop();
  });
  return Object.assign(service, { testRun: { prefix, namespace, dbUrl: db.url } });
}

async function cleanUp(prefix: string, namespace: string) {
  const { Redis } = await import('ioredis');
  const redis = new Redis(LOCAL_REDIS_URL, { protocol: 2 });
  const stale = await redis.keys(`cache:${namespace}:*`);
  if (stale.length) await redis.del(...stale);
  await redis.quit();
  const connection = createEventConnection(RABBITMQ_URL);
  try {
    const names = queueNames('payments', { prefix });
    for (const queue of [names.work, names.dlq, ...names.retry]) await connection.queueDelete({ queue }).catch(() => undefined);
    await connection.exchangeDelete({ exchange: exchangeName({ prefix }) }).catch(() => undefined);
  } finally {
    await connection.close();
  }
}


export interface TestUser {
  id: string;
  email: string;
  sid: string;
  token: string;
  role: 'ADMIN' | 'CUSTOMER' | 'VENDOR';
  headers: { authorization: string };
}

/** Publishes auth.user.registered (through this app's outbox, as auth would) and waits for the replica row. */
export async function registerUser(app: FastifyInstance, role: TestUser['role'] = 'CUSTOMER', label = 'user'): Promise<TestUser> {
  const id = randomUUID();
  const email = `${label}-${randomBytes(4).toString('hex')}@example.test`;
  await publishAuthEvent(app, createEvent({ type: 'auth.user.registered', source: 'auth', data: { userId: id, email, name: `Test ${label}`, role } }));
  await waitFor(() => findUserById(app.db, id), `replica row of ${email}`);
  return tokenUser(id, email, role);
}

export function tokenUser(id: string, email: string, role: TestUser['role']): TestUser {
  const sid = randomUUID();
  const token = keys.sign({ sub: id, role, sid });
  return { id, email, sid, token, role, headers: { authorization: `Bearer ${token}` } };
}

export async function publishAuthEvent(app: FastifyInstance, event: Parameters<typeof addToOutbox>[1]) {
  await app.db.transaction(async (tx) => addToOutbox(tx, event));
}

export const idem = () => ({ 'idempotency-key': randomUUID() });

export async function pay(
  app: FastifyInstance,
  from: TestUser,
  to: TestUser,
  body: Partial<{ amount: number; currency: string; type: string; description: string }> = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: '/payments',
    headers: { ...from.headers, ...idem() },
    payload: { recipientId: to.id, amount: 1050, currency: 'EUR', type: 'instant', ...body },
  });
  if (res.statusCode !== 201) throw new Error(`payment failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; status: string; amount: number; currency: string; senderId: string; recipientId: string };
}

export { waitFor };
