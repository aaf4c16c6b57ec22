// Fault drill: PostgreSQL restarted under load, against the native platform.
// Starts the platform (scripts/platform.ts, no front-end build), drives payments (25/s) and
// reads (profile, admin audit) through the gateway, restarts the real PostgreSQL cluster in the
// middle, keeps the load on, then checks that every service process is still the same one (or
// says how often the runner restarted it) and ready. Prints one JSON summary.
//
// It stops the shared PostgreSQL: run it under the exclusive infrastructure lock, e.g.
//   flock -x /tmp/bank-infra.lock flock /tmp/bank-stack.lock node scripts/faults/pg-restart-under-load.ts
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { REPO_ROOT, RUN_DIR } from '../lib/local-env.ts';
import { SERVICES } from '../lib/services.ts';

const RATE = Number(process.env.FAULT_PAYMENTS_PER_SECOND ?? 25);
const BEFORE_MS = 5_000;
const AFTER_MS = 15_000;
const GATEWAY = 'http://127.0.0.1:3000/api';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cluster = readdirSync('/etc/postgresql')[0];

function pgctl(action: 'restart' | 'start') {
  const started = Date.now();
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster!, 'main', action], { encoding: 'utf8' });
  return { ok: r.status === 0, ms: Date.now() - started, output: (r.stderr || r.stdout).trim() };
}

rmSync(`${RUN_DIR}/ready`, { force: true });
const platform = spawn(process.execPath, ['scripts/platform.ts', 'start', '--no-build'], {
  cwd: REPO_ROOT,
  env: { ...process.env, GATEWAY_RATE_LIMIT_MAX: '1000000', PROCESSOR_STEP_DELAY_MS: '200', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
platform.stdout.on('data', (c: Buffer) => (log += c.toString()));
platform.stderr.on('data', (c: Buffer) => (log += c.toString()));
const summary: Record<string, unknown> = {};
try {
  const deadline = Date.now() + 240_000;
  while (!existsSync(`${RUN_DIR}/ready`) && platform.exitCode === null && Date.now() < deadline) await sleep(500);
  if (!existsSync(`${RUN_DIR}/ready`)) throw new Error(`platform did not start:\n${log.slice(-3000)}`);
  const pids = () =>
    Object.fromEntries(
      // The pid listening on each service's port.
      SERVICES.map((s) => [s.name, /pid=(\d+)/.exec(spawnSync('ss', ['-Hltnp', `sport = :${s.port}`], { encoding: 'utf8' }).stdout)?.[1] ?? '']),
    );
  const signin = async (email: string, password: string) => {
    const res = await fetch(`${GATEWAY}/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const customer = await signin('customer@bank.local', 'Customer!Passw0rd');
  const admin = await signin('admin@bank.local', 'Admin!Passw0rd');

  const statuses: Record<string, Record<string, number>> = { payments: {}, reads: {} };
  const count = (kind: string, status: number | string) => (statuses[kind]![String(status)] = (statuses[kind]![String(status)] ?? 0) + 1);
  let running = true;
  const inflight: Promise<unknown>[] = [];
  const loop = (async () => {
    let i = 0;
    while (running) {
      const headers = { authorization: `Bearer ${customer}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
      inflight.push(
        fetch(`${GATEWAY}/payments`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ recipientEmail: 'admin@bank.local', amount: 100, currency: 'EUR', type: 'instant', description: 'drill' }),
          signal: AbortSignal.timeout(15_000),
        }).then((r) => count('payments', r.status), (e: Error) => count('payments', e.name)),
      );
      if (i % 5 === 0) {
        for (const [url, token] of [[`${GATEWAY}/profile/me`, customer], [`${GATEWAY}/admin/audit?limit=5`, admin]] as const) {
          inflight.push(fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) }).then((r) => count('reads', r.status), (e: Error) => count('reads', e.name)));
        }
      }
      i++;
      await sleep(1000 / RATE);
    }
  })();

  const before = pids();
  await sleep(BEFORE_MS);
  summary.restart = pgctl('restart');
  await sleep(AFTER_MS);
  running = false;
  await loop;
  await Promise.allSettled(inflight);
  await sleep(2_000);
  const after = pids();
  const ready: Record<string, number | string> = {};
  for (const s of SERVICES) {
    ready[s.name] = await fetch(`http://127.0.0.1:${s.port}/health/ready`, { signal: AbortSignal.timeout(3_000) }).then((r) => r.status, (e: Error) => e.message);
  }
  summary.requests = statuses;
  summary.sameProcess = Object.fromEntries(SERVICES.map((s) => [s.name, before[s.name] === after[s.name] && before[s.name] !== '']));
  summary.ready = ready;
  summary.runnerRestarts = log.split('\n').filter((l) => /exited unexpectedly/.test(l)).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim());
  summary.uncaught = log.split('\n').filter((l) => /TypeError|uncaught/i.test(l)).slice(0, 5).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim().slice(0, 200));
} catch (err) {
  summary.error = (err as Error).message;
} finally {
  // PostgreSQL must be up whatever happened.
  if (spawnSync('pg_isready', ['-h', '127.0.0.1', '-q']).status !== 0) summary.restartAgain = pgctl('start');
  platform.kill('SIGTERM');
  await new Promise((r) => platform.once('exit', r));
}
console.log(JSON.stringify(summary, null, 2));
