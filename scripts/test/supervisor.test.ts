// The native runner's supervisor: a service that dies is restarted with a growing backoff and the
// log says so; a stopped supervisor restarts nothing.
import t from 'tap';
import { restartDelayMs, Supervisor } from '../lib/supervisor.ts';

t.test('backoff doubles per consecutive crash and is capped', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelayMs(n)), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
});

t.test('a crashing process is restarted with backoff, and the log says so', async (t) => {
  const log: string[] = [];
  const starts: number[] = [];
  // Exits with code 3 after 50 ms, every time.
  const supervisor = new Supervisor({
    name: 'crashy',
    command: process.execPath,
    args: ['-e', 'setTimeout(() => process.exit(3), 50)'],
    spawnOptions: { stdio: 'ignore' },
    onStart: () => starts.push(Date.now()),
    log: (m) => log.push(m),
    initialBackoffMs: 100,
    maxBackoffMs: 400,
  });
  supervisor.start();
  const deadline = Date.now() + 10_000;
  while (supervisor.restarts < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  supervisor.stop();
  t.ok(supervisor.restarts >= 3, `restarted ${supervisor.restarts} times`);
  t.match(log[0], /crashy exited unexpectedly \(code 3\); restarting in 100 ms \(crash 1 in a row\)/);
  t.match(log[2], /restarting in 200 ms \(crash 2 in a row\)/);
  t.match(log[4], /restarting in 400 ms \(crash 3 in a row\)/);
  t.ok(log.some((l) => /crashy restarting \(restart 1\)/.test(l)));
  t.ok(starts.length >= 4, 'one start per restart');
});

t.test('stop() ends the child and prevents restarts', async (t) => {
  const log: string[] = [];
  const supervisor = new Supervisor({
    name: 'steady',
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    spawnOptions: { stdio: 'ignore' },
    onStart: () => {},
    log: (m) => log.push(m),
    initialBackoffMs: 50,
  });
  const child = supervisor.start();
  await new Promise((r) => setTimeout(r, 100));
  supervisor.stop();
  await new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 200));
  t.equal(supervisor.restarts, 0);
  t.same(log, []);
});

t.test('a process killed by a signal (SIGKILL, OOM) is restarted too', async (t) => {
  const log: string[] = [];
  const supervisor = new Supervisor({
    name: 'victim',
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
    spawnOptions: { stdio: 'ignore' },
    onStart: () => {},
    log: (m) => log.push(m),
    initialBackoffMs: 50,
  });
  const first = supervisor.start();
  t.teardown(() => supervisor.stop('SIGKILL'));
  await new Promise((r) => setTimeout(r, 100));
  first.kill('SIGKILL');
  const deadline = Date.now() + 5_000;
  while (supervisor.restarts < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.equal(supervisor.restarts, 1);
  t.match(log[0], /victim exited unexpectedly \(SIGKILL\); restarting in 50 ms/);
  t.not(supervisor.child?.pid, first.pid, 'a new process');
});
