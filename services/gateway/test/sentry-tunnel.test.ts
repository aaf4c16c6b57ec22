// The browser's Sentry tunnel (routes/sentry-tunnel.ts) against a local HTTP receiver standing in
// for Sentry's ingest: the configured project's envelopes arrive byte for byte and nothing of the
// client goes with them; anything else is refused with a 4xx and never forwarded.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { buildGateway } from './helper.ts';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Sentry that records every request and answers `status` (with `headers`). */
async function startSentry(t: { teardown(fn: () => unknown): void }, status = 200, headers: Record<string, string> = {}) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{"id":"abc"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, received };
}

const envelope = (dsn: string) =>
  `${JSON.stringify({ event_id: '9ec79c33ec9942ab8353589fcb2e04dc', sent_at: '2026-11-30T17:00:00.000Z', dsn })}\n` +
  `${JSON.stringify({ type: 'event' })}\n${JSON.stringify({ message: 'remote failed', tags: { kind: 'remote-load' } })}\n`;

const post = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  ({ method: 'POST' as const, url: '/api/monitoring/sentry-tunnel', payload, headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers } });

t.test("the configured project's envelope reaches Sentry as sent, without the client's credentials", async (t) => {
  const sentry = await startSentry(t);
  const dsn = `http://publickey@127.0.0.1:${sentry.port}/7`;
  const gw = await buildGateway(t, { BROWSER_SENTRY_DSN: dsn });
  const body = envelope(dsn);
  const res = await gw.inject(post(body, { cookie: 'refresh=secret-cookie', authorization: 'Bearer eyJsecret', 'x-forwarded-for': '203.0.113.9' }));
  t.equal(res.statusCode, 200, 'no token needed: errors on the sign-in page are reported too');
  t.equal(sentry.received.length, 1);
  t.equal(sentry.received[0]?.url, '/api/7/envelope/', "the DSN's envelope endpoint");
  t.equal(sentry.received[0]?.body, body, 'the envelope unchanged');
  t.equal(sentry.received[0]?.headers['content-type'], 'application/x-sentry-envelope');
  const forwarded = JSON.stringify(sentry.received[0]?.headers);
  for (const secret of ['secret-cookie', 'eyJsecret', '203.0.113.9']) t.notOk(forwarded.includes(secret), `${secret} not passed on`);
});

t.test('a DSN with a path prefix keeps it; a key or project that differs is refused', async (t) => {
  const sentry = await startSentry(t);
  const dsn = `http://publickey@127.0.0.1:${sentry.port}/sentry/42`;
  const gw = await buildGateway(t, { BROWSER_SENTRY_DSN: dsn });
  t.equal((await gw.inject(post(envelope(dsn)))).statusCode, 200);
  t.equal(sentry.received[0]?.url, '/sentry/api/42/envelope/');
  for (const other of [
    `http://otherkey@127.0.0.1:${sentry.port}/sentry/42`,
    `http://publickey@127.0.0.1:${sentry.port}/sentry/43`,
    `http://publickey@errors.example.test/sentry/42`,
    `https://publickey@127.0.0.1:${sentry.port}/sentry/42`,
  ]) {
    const res = await gw.inject(post(envelope(other)));
    t.equal(res.statusCode, 403, `${other} refused`);
    t.equal(res.json().code, 'SENTRY_DSN_NOT_ALLOWED');
  }
  t.equal(sentry.received.length, 1, 'nothing else forwarded');
});

t.test('garbage, an empty body and a body over the limit are 4xx and never forwarded', async (t) => {
  const sentry = await startSentry(t);
  const dsn = `http://publickey@127.0.0.1:${sentry.port}/7`;
  const gw = await buildGateway(t, { BROWSER_SENTRY_DSN: dsn, SENTRY_TUNNEL_MAX_BYTES: '2048' });
  for (const [what, payload] of [
    ['not JSON', 'hello\nworld'],
    ['empty', ''],
    ['a header without a DSN', '{"event_id":"x"}\n{}\n{}'],
    ['a DSN that is not a URL', '{"dsn":"nope"}\n{}\n{}'],
    ['a JSON array header', `[${JSON.stringify(dsn)}]\n{}`],
    ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x01])],
  ] as const) {
    const res = await gw.inject(post(payload, { 'content-type': 'application/octet-stream' }));
    t.equal(res.statusCode, 400, `${what}: 400`);
    t.equal(res.json().code, 'SENTRY_ENVELOPE_MALFORMED');
  }
  const big = await gw.inject(post(envelope(dsn) + 'x'.repeat(4096)));
  t.equal(big.statusCode, 413, 'over SENTRY_TUNNEL_MAX_BYTES: 413');
  t.equal(sentry.received.length, 0);
});

t.test("Sentry's rate limit reaches the SDK; Sentry down is a 502, not a hang", async (t) => {
  const limited = await startSentry(t, 429, { 'retry-after': '60', 'x-sentry-rate-limits': '60:error:organization' });
  const dsn = `http://publickey@127.0.0.1:${limited.port}/7`;
  const gw = await buildGateway(t, { BROWSER_SENTRY_DSN: dsn });
  const res = await gw.inject(post(envelope(dsn)));
  t.equal(res.statusCode, 429);
  t.equal(res.headers['retry-after'], '60');
  t.equal(res.headers['x-sentry-rate-limits'], '60:error:organization');

  // A port nothing listens on: a server's, closed again.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const freePort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const goneDsn = `http://publickey@127.0.0.1:${freePort}/7`;
  const down = await buildGateway(t, { BROWSER_SENTRY_DSN: goneDsn, UPSTREAM_TIMEOUT_MS: '1000' });
  const unreachable = await down.inject(post(envelope(goneDsn)));
  t.equal(unreachable.statusCode, 502);
  t.equal(unreachable.json().code, 'SENTRY_UNREACHABLE');
});

t.test('without BROWSER_SENTRY_DSN there is no tunnel', async (t) => {
  const gw = await buildGateway(t);
  const res = await gw.inject(post(envelope('http://publickey@127.0.0.1:9/7')));
  t.equal(res.statusCode, 404);
});

t.test('a DSN the tunnel could not use stops the start', async (t) => {
  for (const dsn of ['publickey@o1.ingest.sentry.io/2', 'https://o1.ingest.sentry.io/2', 'https://key@o1.ingest.sentry.io/project', 'https://public-key@o1.ingest.sentry.io/2']) {
    await t.rejects(buildGateway(t, { BROWSER_SENTRY_DSN: dsn }), dsn);
  }
});
