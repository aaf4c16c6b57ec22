// Telemetry as a user of the kit gets it, from a real process started the way services start
// (`node --import @bank/kit/instrument`), against the real PostgreSQL:
// - spans are exported over OTLP/HTTP (the exporter's default protobuf) to an in-process receiver;
//   the incoming `traceparent` is continued, postgres.js queries are CLIENT spans with the database
//   conventions and without parameters;
// - every log line of the request carries its trace_id/span_id;
// - a 500 reaches a local Sentry endpoint tagged with request id, trace id, route and user id,
//   without the e-mail of the message, the cookie, the authorization header or the body.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { startOtlpReceiver } from '../src/otlp-receiver.ts';
import { createTestDatabase } from '../src/testing.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

interface SentryEnvelope {
  header: Record<string, unknown>;
  items: Array<{ header: Record<string, unknown>; payload: Record<string, unknown> }>;
  raw: string;
}

async function startSentryReceiver() {
  const envelopes: SentryEnvelope[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const raw = body.toString('utf8');
      const lines = raw.split('\n').filter(Boolean);
      const items: SentryEnvelope['items'] = [];
      for (let i = 1; i + 1 < lines.length; i += 2) items.push({ header: JSON.parse(lines[i]!), payload: JSON.parse(lines[i + 1]!) });
      envelopes.push({ header: JSON.parse(lines[0] ?? '{}'), items, raw });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { dsn: `http://publickey@127.0.0.1:${port}/42`, envelopes, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The fixture service as a real process started the way services start, with `env` added. */
async function startFixture(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', '@bank/kit/instrument', 'test/fixtures/telemetry-service.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'test', OTEL_SERVICE_NAME: 'telemetry-fixture', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  /** Resolves with the first match of `pattern` in the fixture's stdout. */
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const match = pattern.exec(stdout);
        if (match) {
          child.stdout.off('data', look);
          resolve(match);
        }
      };
      child.stdout.on('data', look);
      look();
      void exited.then((code) => reject(new Error(`fixture exited ${code} before printing ${pattern}: ${stderr}`)));
    });
  const port = Number((await printed(/listening (\d+)/))[1]);
  return { child, exited, printed, base: `http://127.0.0.1:${port}`, stdout: () => stdout };
}

// A real process loading the OpenTelemetry SDK and Sentry, then flushing both at exit: tens of
// seconds on a busy CI machine, so more than tap's default budget.
t.setTimeout(120_000);

t.test('a kit service exports its spans, tags its logs and reports its 500s without personal data', async (t) => {
  const db = await createTestDatabase('telemetry');
  t.teardown(() => db.drop());
  const otlp = await startOtlpReceiver({ port: 0 });
  t.teardown(() => otlp.close());
  const sentry = await startSentryReceiver();
  t.teardown(() => sentry.close());

  const fixture = await startFixture({
    DATABASE_URL: db.url,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    SENTRY_DSN: sentry.dsn,
    SENTRY_ENVIRONMENT: 'kit-test',
  });
  const { child, exited, base } = fixture;
  const personal = { cookie: 'session=cookie-secret-value', authorization: 'Bearer header-secret-token' };

  const read = await fetch(`${base}/accounts/acc-1`, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`, ...personal } });
  t.equal(read.status, 200);
  const boom = await fetch(`${base}/boom?email=query.person@example.com`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...personal },
    body: JSON.stringify({ email: 'body.person@example.com', password: 'body-secret' }),
  });
  t.equal(boom.status, 500);
  const problem = (await boom.json()) as { code: string; requestId: string };
  t.equal(problem.code, 'INTERNAL_ERROR');

  child.kill('SIGTERM');
  t.equal(await exited, 0, 'shuts down cleanly after flushing');

  // Traces: the incoming context is continued and the queries are children of the request.
  const spans = otlp.spans.filter((span) => span.traceId === TRACE_ID);
  const server = spans.find((span) => span.kind === 2);
  t.ok(server, 'the HTTP server span continues the incoming traceparent');
  t.equal(server?.parentSpanId, PARENT_SPAN_ID);
  t.equal(server?.service, 'telemetry-fixture');
  const queries = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
  t.ok(queries.length >= 2, `query spans exported (${queries.map((q) => q.name).join(', ')})`);
  const count = queries.find((span) => span.attributes['db.collection.name'] === 'pg_class');
  t.ok(count, 'the SELECT on pg_class has its table');
  t.equal(count?.name, 'SELECT pg_class');
  t.equal(count?.attributes['db.operation.name'], 'SELECT');
  t.equal(count?.kind, 3, 'CLIENT span');
  t.equal(count?.parentSpanId, server?.spanId, 'child of the request span');
  t.ok(queries.some((span) => span.name === 'BEGIN') || queries.some((span) => span.name === 'SELECT'), 'the transaction statements are traced too');
  t.notMatch(JSON.stringify(otlp.spans.map((span) => span.attributes)), /secret-parameter-value/, 'no query parameter in any span');

  // Logs: the request's lines carry its trace.
  const lines = fixture.stdout().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  const reading = lines.find((line) => line.msg === 'reading the account');
  t.equal(reading?.trace_id, TRACE_ID, 'a handler log line carries the trace id');
  t.match(reading?.span_id, /^[0-9a-f]{16}$/);

  // Sentry: one event for the 500, tagged, without personal data.
  const events = sentry.envelopes.flatMap((envelope) => envelope.items.filter((item) => item.header.type === 'event').map((item) => item.payload));
  t.equal(events.length, 1, 'exactly one error event (the 500)');
  const event = events[0] as { tags: Record<string, string>; user?: Record<string, unknown>; environment: string; exception: { values: Array<{ value: string }> } };
  t.equal(event.tags.request_id, problem.requestId, 'tagged with the request id');
  t.equal(event.tags.route, '/boom');
  t.equal(event.tags.service, 'telemetry-fixture');
  t.match(event.tags.trace_id, /^[0-9a-f]{32}$/, 'tagged with the trace id');
  t.same(event.user, { id: '00000000-0000-4000-8000-00000000abcd' }, 'the user id only');
  t.equal(event.environment, 'kit-test');
  t.match(event.exception.values[0]?.value, /ledger rejected the transfer of \[email\]/);
  const raw = sentry.envelopes.map((envelope) => envelope.raw).join('\n');
  for (const secret of ['jane.doe@example.com', 'query.person', 'body.person', 'body-secret', 'cookie-secret-value', 'header-secret-token']) {
    t.notOk(raw.includes(secret), `no ${secret} in what reached Sentry`);
  }
});

// A quick SIGTERM: nothing has been exported yet (the SDK's default 5 s batch delay), one request
// has just finished and one is still running — it only carries on, and queries, once the signal
// has arrived. Every span of both requests must still reach the collector before the exit.
t.test('a quick SIGTERM loses no span: finished and in-flight requests are exported before the exit', async (t) => {
  const db = await createTestDatabase('telemetry_sigterm');
  t.teardown(() => db.drop());
  const otlp = await startOtlpReceiver({ port: 0 });
  t.teardown(() => otlp.close());
  const fixture = await startFixture({ DATABASE_URL: db.url, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint });
  t.teardown(() => void (fixture.child.exitCode === null && fixture.child.kill('SIGKILL')));
  const FINISHED = '11111111111111111111111111111111';
  const IN_FLIGHT = '22222222222222222222222222222222';

  const finished = await fetch(`${fixture.base}/accounts/acc-2`, { headers: { traceparent: `00-${FINISHED}-${PARENT_SPAN_ID}-01` } });
  t.equal(finished.status, 200);
  const inFlight = fetch(`${fixture.base}/until-sigterm`, { headers: { traceparent: `00-${IN_FLIGHT}-${PARENT_SPAN_ID}-01` } });
  await fixture.printed(/waiting for SIGTERM/);
  t.equal(otlp.spans.length, 0, 'nothing exported before the signal');
  fixture.child.kill('SIGTERM');
  const answer = await inFlight;
  t.equal(answer.status, 200, 'the in-flight request completes during the graceful close');
  t.equal(await fixture.exited, 0, 'exits cleanly');

  for (const [traceId, label] of [[FINISHED, 'finished'], [IN_FLIGHT, 'in-flight']] as const) {
    const spans = otlp.spans.filter((span) => span.traceId === traceId);
    const server = spans.find((span) => span.kind === 2);
    t.equal(server?.parentSpanId, PARENT_SPAN_ID, `${label} request: its server span is exported`);
    const queries = spans.filter((span) => span.attributes['db.system.name'] === 'postgresql');
    t.ok(queries.length >= 1, `${label} request: its query spans are exported (${queries.map((q) => q.name).join(', ')})`);
    t.ok(queries.every((q) => q.parentSpanId === server?.spanId || spans.some((s) => s.spanId === q.parentSpanId)), `${label} request: no query span without its parent`);
  }
  const afterSignal = otlp.spans.find((span) => span.traceId === IN_FLIGHT && span.attributes['db.query.summary'] === 'SELECT pg_database');
  t.ok(afterSignal, 'the query made after the signal is exported too');
});
