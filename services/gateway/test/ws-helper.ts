// Real gateways listening on ephemeral ports, real `ws` clients, and a RabbitMQ vhost per run
// for the event bridge.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { createService, wsTicketKey, type Role } from '@bank/kit';
import { LOCAL_REDIS_URL } from '@bank/kit/testing';
import { amqpProperties, createEvent, createEventConnection, encodeEvent, exchangeName, type EventData, type EventType } from '@bank/events';
import type { FastifyInstance } from 'fastify';
import app from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';
import { keys } from './helper.ts';
import { waitFor } from '@bank/kit/testing';

type Teardown = { teardown(fn: () => unknown): void };

export async function listenGateway(t: Teardown, env: Record<string, string> = {}) {
  const config = loadGatewayConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', REDIS_URL: LOCAL_REDIS_URL, WS_BRIDGE_ENABLED: 'false', REVOCATION_EVENTS_ENABLED: 'false', ...env });
  const gateway = await createService({
    name: 'gateway',
    config,
    // Test publishers are all `guest`: accept that user for every source.
    app: (fastify, opts) => app(fastify, { ...opts, publicKey: keys.publicKey, eventsUserForSource: () => 'guest' }),
  });
  await gateway.listen({ port: 0, host: '127.0.0.1' });
  let closed = false;
  t.teardown(() => (closed ? undefined : gateway.close()));
  const address = gateway.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app: gateway,
    url: `ws://127.0.0.1:${port}/ws`,
    close: async () => {
      closed = true;
      await gateway.close();
    },
  };
}

/** A user with a fresh session; `token` is a valid access token, `ticket()` mints a ticket like auth does. */
export function identity(role: Role = 'CUSTOMER') {
  const sub = randomUUID();
  const sid = randomUUID();
  return {
    sub,
    sid,
    role,
    token: keys.sign({ sub, role, sid }),
    async ticket(app: FastifyInstance, ttlMs = 30_000) {
      const ticket = randomBytes(24).toString('base64url');
      await app.redis.set(wsTicketKey(ticket), JSON.stringify({ sub, role, sid }), 'PX', ttlMs);
      return ticket;
    },
  };
}

export interface TestClient {
  socket: WebSocket;
  messages: Array<{ type: string; payload: Record<string, unknown>; timestamp: string; correlationId: string | null }>;
  next(type: string, timeoutMs?: number): Promise<TestClient['messages'][number]>;
  closed: Promise<{ code: number; reason: string }>;
  send(value: unknown): void;
}

export function wrap(socket: WebSocket): TestClient {
  const messages: TestClient['messages'] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return {
    socket,
    messages,
    closed,
    send: (value) => socket.send(typeof value === 'string' ? value : JSON.stringify(value)),
    next(type, timeoutMs = 3_000) {
      let seen = 0;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} message within ${timeoutMs} ms (got ${messages.map((m) => m.type).join(', ')})`)), timeoutMs);
        const check = () => {
          for (; seen < messages.length; seen++) {
            if (messages[seen]!.type === type) {
              clearTimeout(timer);
              const [found] = messages.splice(seen, 1);
              return resolve(found!);
            }
          }
          waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Opens a socket; resolves with the client once open, or rejects with the HTTP status of the refusal. */
export function connect(url: string, opts: { protocols?: string[]; options?: WebSocket.ClientOptions } = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, opts.protocols, opts.options);
    const client = wrap(socket);
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => {
        // With this listener ws leaves the HTTP exchange open: end it.
        req.destroy();
        reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: body ? JSON.parse(body) : undefined }));
      });
    });
    socket.once('error', (err) => reject(err));
  });
}

/** Connects and waits for the `welcome` greeting (sent once the socket is registered in its rooms). */
export async function connectReady(url: string, opts: Parameters<typeof connect>[1] = {}) {
  const client = await connect(url, opts);
  await client.next('welcome');
  return client;
}

export const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ status: 0, body: undefined as { code?: string } | undefined }),
    (err: { status?: number; body?: { code?: string } }) => ({ status: err.status ?? -1, body: err.body }),
  );

const exec = promisify(execFile);
const rabbitmqctl = async (...args: string[]) => (await exec('rabbitmqctl', ['-q', ...args], { timeout: 120_000 })).stdout;

/** A vhost for this run (guest has full rights in it), deleted at teardown. */
export async function createVhost(t: Teardown, label: string) {
  const vhost = `gateway-${label}-${randomBytes(3).toString('hex')}`;
  await rabbitmqctl('add_vhost', vhost);
  await rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');
  t.teardown(() => rabbitmqctl('delete_vhost', vhost));
  return { vhost, url: `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`, list: (...cols: string[]) => rabbitmqctl('list_queues', '-p', vhost, ...cols), consumers: (...cols: string[]) => rabbitmqctl('list_consumers', '-p', vhost, ...cols) };
}

/** Publishes envelopes on the hub of a vhost as `guest` (the publisher a test gateway trusts). */
export async function hubPublisher(t: Teardown, url: string) {
  const connection = createEventConnection(url);
  const publisher = connection.createPublisher({ confirm: true });
  t.teardown(async () => {
    await publisher.close();
    await connection.close();
  });
  await connection.exchangeDeclare({ exchange: exchangeName(), type: 'topic', durable: true });
  return {
    async publish<T extends EventType>(type: T, source: 'auth' | 'payments' | 'admin' | 'profile', data: EventData<T>) {
      const event = createEvent({ type, source, data });
      await publisher.send({ exchange: exchangeName(), routingKey: type, ...amqpProperties(event, 'guest') }, encodeEvent(event));
      return event;
    },
    async raw(routingKey: string, body: unknown) {
      await publisher.send({ exchange: exchangeName(), routingKey, userId: 'guest', contentType: 'application/json' }, Buffer.from(JSON.stringify(body)));
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { waitFor };
