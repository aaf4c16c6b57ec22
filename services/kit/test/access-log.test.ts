// One access-log line per request (method, route, status, duration, request id, user), none of
// Fastify's own pair; a route may lower its successful line to debug.
import t from 'tap';
import { createService } from '../src/index.ts';
import { logSink } from './helpers/log-sink.ts';

async function build(t: { teardown(fn: () => unknown): void }, level: string) {
  const { logger, lines } = logSink('kit-test', level);
  const svc = await createService({
    name: 'kit-test',
    config: { LOG_LEVEL: level, NODE_ENV: 'test' },
    fastify: { loggerInstance: logger },
    app: async (app) => {
      app.addHook('onRequest', async (request) => {
        (request as { user?: { sub: string } }).user = { sub: 'user-1' };
      });
      app.get('/things/:id', async () => ({ ok: true }));
      app.get('/proxied', { config: { accessLogLevel: 'debug' } }, async (_request, reply) => reply.code(Number(_request.headers['x-status'] ?? 200)).send({}));
    },
  });
  t.teardown(() => svc.close());
  return { svc, requests: () => lines.filter((l) => l.msg === 'request' || l.msg === 'incoming request' || l.msg === 'request completed') };
}

t.test('one line per request with the route pattern, status, duration, request id and user', async (t) => {
  const { svc, requests } = await build(t, 'info');
  const res = await svc.inject({ url: '/things/42', headers: { 'x-request-id': 'req-abcdef12' } });
  t.equal(res.statusCode, 200);
  const lines = requests();
  t.equal(lines.length, 1, 'exactly one line (Fastify’s own two are off)');
  t.match(lines[0], { level: 'info', msg: 'request', method: 'GET', route: '/things/:id', status: 200, reqId: 'req-abcdef12', userId: 'user-1' });
  t.type(lines[0]!.durationMs, 'number');
});

t.test('a route’s accessLogLevel lowers its successful lines only', async (t) => {
  const { svc, requests } = await build(t, 'info');
  await svc.inject({ url: '/proxied' });
  t.equal(requests().length, 0, 'a success at debug is not written at info');
  await svc.inject({ url: '/proxied', headers: { 'x-status': '502' } });
  t.match(requests(), [{ level: 'info', route: '/proxied', status: 502 }], 'a failure is');
});

t.test('at debug the lowered lines appear', async (t) => {
  const { svc, requests } = await build(t, 'debug');
  await svc.inject({ url: '/proxied' });
  t.match(requests(), [{ level: 'debug', route: '/proxied', status: 200 }]);
});
