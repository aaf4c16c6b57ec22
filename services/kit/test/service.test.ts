// The service skeleton: problem bodies, 404, request ids, health, metrics — through inject.
import { once } from 'node:events';
import { connect } from 'node:net';
import t from 'tap';
import { Type } from 'typebox';
import { createService, defineError, redis, database } from '../src/index.ts';
import { createTestDatabase, LOCAL_REDIS_URL } from '../src/testing.ts';
import { logSink } from './helpers/log-sink.ts';

const Teapot = defineError('KIT_TEAPOT', 418, 'I am a teapot');

async function build(t: { teardown(fn: () => unknown): void }, app: Parameters<typeof createService>[0]['app']) {
  const svc = await createService({ name: 'kit-test', config: { LOG_LEVEL: 'silent', NODE_ENV: 'test' }, app });
  t.teardown(() => svc.close());
  return svc;
}

t.test('errors become problem bodies with stable codes', async (t) => {
  const svc = await build(t, async (app) => {
    app.get('/teapot', async () => {
      throw Teapot('short and stout');
    });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    app.post('/echo', { schema: { body: Type.Object({ n: Type.Integer({ minimum: 1 }) }) } }, async (req) => req.body);
  });
  const teapot = await svc.inject({ url: '/teapot' });
  t.equal(teapot.statusCode, 418);
  t.equal(teapot.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.match(teapot.json(), { code: 'KIT_TEAPOT', status: 418, title: 'I am a teapot', detail: 'short and stout' });
  t.equal(teapot.json().requestId, teapot.headers['x-request-id']);

  const boom = await svc.inject({ url: '/boom' });
  t.equal(boom.statusCode, 500);
  t.equal(boom.json().code, 'INTERNAL_ERROR');
  t.notMatch(boom.body, /hunter2/, '5xx details are hidden');

  const invalid = await svc.inject({ method: 'POST', url: '/echo', payload: { n: 0 } });
  t.equal(invalid.statusCode, 400);
  t.equal(invalid.json().code, 'VALIDATION_FAILED');
  t.match(invalid.json().errors, [{ path: 'body/n' }]);

  const badJson = await svc.inject({
    method: 'POST',
    url: '/echo',
    headers: { 'content-type': 'application/json' },
    payload: '{"n":',
  });
  t.equal(badJson.statusCode, 400);
  t.equal(badJson.json().code, 'INVALID_JSON');

  const missing = await svc.inject({ url: '/nope?x=1' });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { code: 'NOT_FOUND', detail: 'No route for GET /nope' });
});

t.test('keeps a well-formed caller request id and replaces a malformed one', async (t) => {
  const svc = await build(t, async () => {});
  const kept = await svc.inject({ url: '/health/live', headers: { 'x-request-id': 'req-12345678' } });
  t.equal(kept.headers['x-request-id'], 'req-12345678');
  const replaced = await svc.inject({ url: '/health/live', headers: { 'x-request-id': 'bad id\n' } });
  t.not(replaced.headers['x-request-id'], 'bad id\n');
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/);
});

t.test('readiness checks the real PostgreSQL and Redis', async (t) => {
  const testDb = await createTestDatabase('kit');
  t.teardown(() => testDb.drop());
  const svc = await build(t, async (app) => {
    await app.register(database, { url: testDb.url });
    await app.register(redis, { url: LOCAL_REDIS_URL, name: 'kit-test' });
  });
  const ready = await svc.inject({ url: '/health/ready' });
  t.equal(ready.statusCode, 200);
  t.match(ready.json(), { status: 'ok', checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  t.equal((await svc.sql`select 1 as one`)[0]?.one, 1);
});

t.test('readiness is 503 when a dependency is down', async (t) => {
  const svc = await build(t, async (app) => {
    await app.register(database, { url: 'postgres://postgres@127.0.0.1:1/none' });
  });
  const ready = await svc.inject({ url: '/health/ready' });
  t.equal(ready.statusCode, 503);
  t.match(ready.json(), { status: 'unavailable', checks: { postgres: { status: 'down' } } });
  t.equal((await svc.inject({ url: '/health/live' })).statusCode, 200, 'liveness does not depend on it');
});

t.test('metrics expose RED metrics by route template', async (t) => {
  const svc = await build(t, async (app) => {
    app.get('/items/:id', async () => ({ ok: true }));
  });
  await svc.inject({ url: '/items/1' });
  await svc.inject({ url: '/items/2' });
  const res = await svc.inject({ url: '/metrics' });
  t.equal(res.statusCode, 200);
  t.match(res.body, /http_requests_total\{method="GET",route="\/items\/:id",status_code="200",service="kit-test"\} [2-9]/);
  t.match(res.body, /http_request_duration_seconds_bucket/);
  t.notMatch(res.body, /route="\/items\/1"/, 'raw URLs are not labels');
});

t.test('a request the client aborted is answered 499 (not an error); the same error otherwise stays a 500', async (t) => {
  const statuses: number[] = [];
  const svc = await build(t, async (app) => {
    // onSend, not onResponse: an aborted request's response is never finished.
    app.addHook('onSend', async (_request, reply) => {
      statuses.push(reply.statusCode);
    });
    // As undici fails a proxied call whose client went away.
    const aborted = () => Object.assign(new Error('Request aborted'), { name: 'RequestAbortedError', code: 'UND_ERR_ABORTED' });
    app.get('/waits-for-abort', async (request) => {
      await new Promise((resolve) => request.raw.socket.once('close', resolve));
      throw aborted();
    });
    app.get('/aborted-error', async () => {
      throw aborted();
    });
  });
  const notAborted = await svc.inject({ url: '/aborted-error' });
  t.equal(notAborted.statusCode, 500, 'an abort error of our own making is still a bug');

  const address = await svc.listen({ host: '127.0.0.1', port: 0 });
  const controller = new AbortController();
  const call = fetch(`${address}/waits-for-abort`, { signal: controller.signal }).catch((error: Error) => error.name);
  await new Promise((resolve) => setTimeout(resolve, 100));
  controller.abort();
  t.equal(await call, 'AbortError');
  for (let i = 0; i < 50 && !statuses.includes(499); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  t.same(statuses, [500, 499], 'the aborted request is answered as 499');
});

t.test('a 5xx defined as a refusal (maintenance) is logged at info with its code, an unplanned one at error', async (t) => {
  const Paused = defineError('KIT_PAUSED', 503, 'Paused for maintenance', { refusal: true });
  const Down = defineError('KIT_DOWN', 503, 'A dependency is down');
  const { logger, lines } = logSink('kit-test', 'info');
  const svc = await createService({
    name: 'kit-test',
    config: { LOG_LEVEL: 'info', NODE_ENV: 'test' },
    fastify: { loggerInstance: logger },
    app: async (app) => {
      app.get('/paused', async () => {
        throw Paused();
      });
      app.get('/down', async () => {
        throw Down();
      });
    },
  });
  t.teardown(() => svc.close());
  const paused = await svc.inject({ url: '/paused' });
  t.equal(paused.statusCode, 503);
  t.match(paused.json(), { code: 'KIT_PAUSED', title: 'Paused for maintenance' }, 'still a problem body with its code');
  const refused = lines.filter((l) => l.reqId === paused.headers['x-request-id'] && l.msg !== 'request');
  t.match(refused, [{ level: 'info', msg: 'request refused', code: 'KIT_PAUSED' }], 'one info line, no stack');
  t.notOk(refused.some((l) => l.err), 'no error object logged');

  const down = await svc.inject({ url: '/down' });
  t.equal(down.statusCode, 503);
  const failed = lines.filter((l) => l.reqId === down.headers['x-request-id'] && l.msg === 'request failed');
  t.match(failed, [{ level: 'error' }], 'an unplanned 5xx is still an error');
});

t.test('a body over the limit: 413 read by a client still uploading, then the connection closes', async (t) => {
  const svc = await createService({ name: 'kit-test', config: { LOG_LEVEL: 'silent', NODE_ENV: 'test' }, fastify: { bodyLimit: 1024 }, app: async (app) => {
    app.post('/upload', async () => ({ ok: true }));
  } });
  t.teardown(() => svc.close());
  const address = new URL(await svc.listen({ host: '127.0.0.1', port: 0 }));
  const socket = connect({ host: address.hostname, port: Number(address.port) });
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => undefined); // a write after the server's FIN may fail; the answer is what counts
  const size = 4_000_000;
  socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let sent = 0; sent < size && !socket.destroyed && !socket.writableEnded; sent += chunk.length) {
    if (!socket.write(chunk)) await Promise.race([once(socket, 'drain'), once(socket, 'close'), new Promise((r) => setTimeout(r, 200))]);
  }
  await Promise.race([once(socket, 'close'), new Promise((r) => setTimeout(r, 5_000))]);
  t.match(answer, /^HTTP\/1\.1 413 /, 'the 413 arrives');
  t.match(answer, /connection: close/i, 'and says the connection ends');
  t.match(answer, /"code":"PAYLOAD_TOO_LARGE"/, 'as a problem body');
  socket.destroy();
});
