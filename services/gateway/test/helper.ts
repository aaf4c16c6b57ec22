// A gateway wired to real upstreams on ephemeral ports: a fake "payments" that echoes what
// it received (so tests can see forwarded headers) and can be slow on demand.
import Fastify, { type FastifyServerOptions } from 'fastify';
import { createService } from '@bank/kit';
import { createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';

export const keys = createTestKeys();

export async function startEchoUpstream(t: { teardown(fn: () => unknown): void }, prefix = '/payments') {
  const echo = Fastify();
  echo.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  echo.all(`${prefix}/*`, async (request) => {
    const delay = Number((request.query as { delayMs?: string }).delayMs ?? 0);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const body = request.body as Buffer | object | undefined;
    return { url: request.url, method: request.method, headers: request.headers, bodyBytes: Buffer.isBuffer(body) ? body.length : body ? JSON.stringify(body).length : 0 };
  });
  await echo.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => echo.close());
  const address = echo.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

export async function buildGateway(t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}, fastify: Partial<FastifyServerOptions> = {}) {
  // The WebSocket bridge and the revocation events are off unless a test turns them on (with its
  // own vhost): tests set auth's Redis markers directly, which every request then reads (the fallback).
  const config = loadGatewayConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', REDIS_URL: LOCAL_REDIS_URL, WS_BRIDGE_ENABLED: 'false', REVOCATION_EVENTS_ENABLED: 'false', ...env });
  const gateway = await createService({
    name: 'gateway',
    config,
    app: (instance, opts) => app(instance, { ...opts, publicKey: keys.publicKey }),
    fastify,
  });
  await gateway.ready();
  t.teardown(() => gateway.close());
  return gateway;
}

let counter = 0;
export const tokenFor = (role: 'ADMIN' | 'CUSTOMER' = 'CUSTOMER') => {
  counter += 1;
  const id = `0191a1b2-0000-7000-8000-${String(Date.now() % 1e8).padStart(8, '0')}${String(counter).padStart(4, '0')}`;
  return { id, sid: `${id.slice(0, -4)}ffff`, token: keys.sign({ sub: id, role, sid: `${id.slice(0, -4)}ffff` }) };
};
