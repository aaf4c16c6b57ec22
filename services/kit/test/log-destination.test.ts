// The kit's buffered log destination (log-destination.ts), from real processes: lines wait in
// the buffer (they reach stdout after a marker written straight to fd 1 just after them), and
// every buffered line still reaches stdout — on a graceful SIGTERM, on an error exit, on a
// start-up failure, and by the periodic flush when the service is idle.
import { spawn } from 'node:child_process';
import t from 'tap';

interface Run {
  lines: Array<Record<string, unknown>>;
  /** Position of the fd-1 marker among stdout's lines, and of each log line. */
  order: string[];
  code: number | null;
}

const MARKER = 'marker written after the lines';

/** Starts the fixture in `mode`; `whileRunning` may act on it (e.g. send a signal) once `ready` is on its stdout. */
async function runFixture(mode: string, whileRunning?: (child: ReturnType<typeof spawn>, stdout: () => string) => Promise<void>): Promise<Run> {
  const child = spawn(process.execPath, ['test/fixtures/buffered-log-service.ts', mode], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, LOG_LEVEL: 'info', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.resume();
  // 'close', not 'exit': stdout has been read to its end.
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  if (whileRunning) await whileRunning(child, () => stdout);
  const code = await closed;
  const order = stdout.split('\n').filter(Boolean);
  const lines = order.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, order, code };
}

/** Resolves once `pattern` is on the child's stdout (tap's timeout bounds the wait). */
async function printed(stdout: () => string, pattern: RegExp) {
  while (!pattern.test(stdout())) await new Promise((resolve) => setTimeout(resolve, 20));
}

// Four real processes, each starting Node with the kit: tens of seconds on a busy CI machine.
t.setTimeout(240_000);

t.test('a graceful SIGTERM writes out every buffered line', async (t) => {
  const run = await runFixture('sigterm');
  t.equal(run.code, 0, 'exits cleanly');
  t.same(run.lines.filter((l) => l.msg === 'buffered line').map((l) => l.line), [1, 2, 3], 'all three lines, in order');
  t.ok(run.lines.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM'), 'and the shutdown line logged during the close');
  t.ok(run.order.indexOf(MARKER) < run.order.findIndex((l) => l.includes('"buffered line"')), 'the lines were buffered: written after the marker that followed them');
});

t.test('an uncaught error exits with every buffered line written', async (t) => {
  const run = await runFixture('error');
  t.equal(run.code, 1, 'exits with an error');
  t.same(run.lines.filter((l) => l.msg === 'buffered line').map((l) => l.line), [1, 2, 3]);
  const exitLine = run.lines.find((l) => l.msg === 'shutting down after error');
  t.match(exitLine, { level: 'error', err: { message: 'a handler crashed' } }, 'the error line too');
});

t.test('a start-up failure still writes the lines logged before it', async (t) => {
  const run = await runFixture('start-fails');
  t.not(run.code, 0);
  t.ok(run.lines.some((l) => l.msg === 'registering'), 'the line logged while the app registered');
});

t.test('an idle service writes its buffered line without being stopped', async (t) => {
  const run = await runFixture('idle', async (child, stdout) => {
    await printed(stdout, /"idle line"/);
    child.kill('SIGTERM');
  });
  t.equal(run.code, 0);
  t.equal(run.lines.filter((l) => l.msg === 'idle line').length, 1, 'written once');
});
