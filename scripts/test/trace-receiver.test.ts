// `npm run trace:receiver` (scripts/trace-receiver.ts) as a user runs it: spans exported to it
// and a SIGTERM / Ctrl-C right after must still be printed, every trace whole, before it exits —
// the quiet period after which a trace is normally printed is set far longer than the test, so
// anything printed was printed by the shutdown flush. The signal goes to npm, as a supervisor's
// would: the receiver must get it too (the script `exec`s node; through `sh -c` it was orphaned,
// still listening).
import { spawn } from 'node:child_process';
import t from 'tap';
import { REPO_ROOT } from '../lib/local-env.ts';

t.setTimeout(60_000);

const hex = (n: number, length: number) => n.toString(16).padStart(length, '0');
const TRACE_A = hex(0xa1, 32);
const TRACE_B = hex(0xb2, 32);

/** One OTLP/HTTP JSON export from `service` with the given spans (ids as hex, as OTLP/JSON has them). */
function exportBody(service: string, spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number }>) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            spans: spans.map((span, i) => ({
              ...span,
              startTimeUnixNano: String(now + BigInt(i) * 1_000n),
              endTimeUnixNano: String(now + 2_000_000n),
            })),
          },
        ],
      },
    ],
  });
}

function startReceiver() {
  const child = spawn('npm', ['run', '--silent', 'trace:receiver', '--', '--port', '0', '--quietMs', '600000'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const endpoint = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /receiver on (http:\/\/\S+) /.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`receiver exited ${code}: ${stderr}`)));
  });
  return { child, endpoint, exited, output: () => stdout };
}

async function post(endpoint: string, body: string) {
  const res = await fetch(`${endpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.arrayBuffer();
  return res.status;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`spans received just before a ${signal} are printed, every trace whole, before the exit`, async (t) => {
    const receiver = startReceiver();
    t.teardown(() => void (receiver.child.exitCode === null && receiver.child.kill('SIGKILL')));
    const endpoint = await receiver.endpoint;

    // Trace A spans two services and two exports (the second one arrives last); trace B is one export.
    t.equal(
      await post(endpoint, exportBody('gateway', [
        { traceId: TRACE_A, spanId: hex(1, 16), name: 'POST', kind: 2 },
        { traceId: TRACE_A, spanId: hex(2, 16), parentSpanId: hex(1, 16), name: 'POST', kind: 3 },
      ])),
      200,
    );
    t.equal(await post(endpoint, exportBody('audit', [{ traceId: TRACE_B, spanId: hex(10, 16), name: 'process audit.events', kind: 5 }])), 200);
    t.equal(
      await post(endpoint, exportBody('payments', [
        { traceId: TRACE_A, spanId: hex(3, 16), parentSpanId: hex(2, 16), name: 'POST /payments', kind: 2 },
        { traceId: TRACE_A, spanId: hex(4, 16), parentSpanId: hex(3, 16), name: 'INSERT payments', kind: 3 },
      ])),
      200,
    );
    t.notMatch(receiver.output(), /\ntrace /, 'nothing printed yet: the quiet period has not passed');
    receiver.child.kill(signal);

    t.same(await receiver.exited, { code: 0, signal: null }, 'exits by itself, with status 0');
    const out = receiver.output();
    t.match(out, `trace ${TRACE_A} (4 spans)`, 'trace A printed with all four spans');
    t.match(out, `trace ${TRACE_B} (1 spans)`, 'trace B printed');
    const treeA = out.slice(out.indexOf(`trace ${TRACE_A}`)).split('\n').slice(1, 5);
    t.same(
      treeA.map((line) => line.replace(/ [\d.]+ ms$/, '')),
      ['gateway server POST', '  gateway client POST', '    payments server POST /payments', '      payments client INSERT payments'],
      'trace A as one tree, parents before children',
    );
    t.notMatch(out, /not received/, 'no orphan: every parent arrived');
    t.match(out, `${signal}: stopped after 5 spans in 2 traces`);
    const stillListening = await fetch(`${endpoint}/v1/traces`, { method: 'POST', body: '{}' }).then(() => true, () => false);
    t.notOk(stillListening, 'no receiver left behind: the port is closed');
  });
}
