// A gateway whose four upstreams are one small fake service speaking the services' REST
// contracts (problem bodies, Idempotency-Key, the owner rule on payments), recording every call
// it receives: enough to test what the gateway adds (identity forwarding, limits, codes,
// batching, the switch). Parity with the real services: services/platform-tests/test/graphql.test.ts.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply } from 'fastify';
import WebSocket from 'ws';
import { listenGateway } from './ws-helper.ts';

type Teardown = { teardown(fn: () => unknown): void };

export interface UpstreamCall {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const problem = (reply: FastifyReply, status: number, code: string, detail: string) =>
  reply.code(status).type('application/problem+json').send({ type: 'about:blank', title: code, status, code, detail });

export async function startFakeServices(t: Teardown, opts: { graphqlFlag?: { value: boolean | null; version: number } } = {}) {
  const calls: UpstreamCall[] = [];
  const payments = new Map<string, Record<string, unknown>>();
  const scheduleId = randomUUID();
  const flag = opts.graphqlFlag ?? { value: null, version: 0 };
  const fake = Fastify();
  fake.addHook('onRequest', async (request) => {
    calls.push({ method: request.method, url: request.url, headers: request.headers, body: undefined });
  });
  fake.addHook('preHandler', async (request) => {
    calls[calls.length - 1]!.body = request.body;
  });
  const userOf = (request: { headers: Record<string, unknown> }) => ({ id: String(request.headers['x-user-id']), role: String(request.headers['x-user-role']) });
  const visible = (p: Record<string, unknown>, user: { id: string; role: string }) => user.role === 'ADMIN' || p.senderId === user.id || p.recipientId === user.id;

  fake.get('/internal/config', async () => ({ items: [{ key: 'features.graphql', value: flag.value, version: flag.version }] }));
  fake.get('/auth/me', async (request) => ({ user: { id: userOf(request).id, email: 'me@example.com', name: 'Me', role: userOf(request).role, status: 'active', createdAt: new Date(0).toISOString() } }));
  fake.get('/payments', async (request) => {
    const user = userOf(request);
    const items = [...payments.values()].filter((p) => visible(p, user));
    return { items, nextCursor: items.length ? 'next-page' : null };
  });
  fake.get('/payments/:id', async (request, reply) => {
    const p = payments.get((request.params as { id: string }).id);
    if (!p || !visible(p, userOf(request))) return problem(reply, 404, 'PAYMENTS_NOT_FOUND', 'No such payment');
    return { ...p, transactions: [{ id: randomUUID(), fromStatus: null, toStatus: 'pending', reason: null, createdAt: p.createdAt }] };
  });
  fake.post('/payments', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (!key) return problem(reply, 400, 'PAYMENTS_IDEMPOTENCY_KEY_REQUIRED', 'Send an Idempotency-Key header');
    const body = request.body as Record<string, unknown>;
    if (typeof body.amount !== 'number' || body.amount > 1_000_000_000_000) return problem(reply, 400, 'VALIDATION_FAILED', 'amount');
    const existing = [...payments.values()].find((p) => p.key === key && p.senderId === userOf(request).id);
    if (existing) return reply.header('idempotent-replayed', 'true').code(201).send(existing);
    const now = new Date().toISOString();
    const p = {
      id: randomUUID(), key, senderId: userOf(request).id, recipientId: body.recipientId ?? randomUUID(), recipientEmail: 'r@example.com', amount: body.amount,
      currency: body.currency, type: body.type, description: body.description ?? null, status: 'pending', failureReason: null,
      scheduleId: body.description === 'from-schedule' ? scheduleId : null, occurrenceIndex: null, createdAt: now, updatedAt: now,
    };
    payments.set(p.id, p);
    return reply.code(201).send(p);
  });
  fake.post('/payments/:id/cancel', async (request, reply) => {
    const p = payments.get((request.params as { id: string }).id);
    const user = userOf(request);
    if (!p || !visible(p, user)) return problem(reply, 404, 'PAYMENTS_NOT_FOUND', 'No such payment');
    if (user.role !== 'ADMIN' && p.senderId !== user.id) return problem(reply, 403, 'PAYMENTS_FORBIDDEN', 'Only the sender may cancel');
    p.status = 'cancelled';
    return p;
  });
  fake.get('/payments/schedules', async () => ({ items: [], nextCursor: null }));
  fake.get('/payments/schedules/:id', async (request) => {
    const now = new Date().toISOString();
    return {
      id: (request.params as { id: string }).id, senderId: userOf(request).id, recipientId: randomUUID(), recipientEmail: 'r@example.com', amount: 100, currency: 'EUR',
      description: null, type: 'recurring', frequency: 'monthly', timeZone: 'UTC', startDate: '2027-01-01', endDate: null, count: 3, status: 'active',
      occurrencesDone: 0, nextRunAt: now, upcoming: [], createdAt: now, updatedAt: now, payments: [],
    };
  });
  await fake.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => fake.close());
  const address = fake.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { url, calls, payments, flag };
}

export async function graphqlGateway(t: Teardown, env: Record<string, string> = {}, fakeOpts: Parameters<typeof startFakeServices>[1] = {}) {
  const services = await startFakeServices(t, fakeOpts);
  const gateway = await listenGateway(t, {
    AUTH_URL: services.url,
    PAYMENTS_URL: services.url,
    ADMIN_URL: services.url,
    PROFILE_URL: services.url,
    GRAPHQL_CONFIG_RETRY_MS: '100',
    ...env,
  });
  const gql = (token: string | undefined, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    gateway.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      payload: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
    });
  return { ...gateway, services, gql, httpUrl: gateway.url.replace('ws://', 'http://').replace(/\/ws$/, '/graphql') };
}

/** A graphql-transport-ws client: connection_init → connection_ack, then subscribe. */
export function graphqlWs(url: string, protocols: string[]) {
  const socket = new WebSocket(url, protocols);
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode })));
    socket.once('error', reject);
  });
  async function next(type: string, timeoutMs = 3000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = messages.findIndex((m) => m.type === type);
      if (at >= 0) return messages.splice(at, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} message within ${timeoutMs} ms (got ${JSON.stringify(messages)})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  return { socket, messages, closed, opened, next, send: (value: unknown) => socket.send(JSON.stringify(value)) };
}
