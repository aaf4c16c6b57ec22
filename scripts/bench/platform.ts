// The platform benchmark (`npm run bench -- platform`, docs/benchmarks/platform.md): starts the
// platform as `npm start` does (scripts/platform.ts, default configuration; only the processor's
// simulated step delay is set, to its documented default, so it can be subtracted), signs in
// several senders, measures the raw PostgreSQL and broker baselines, then drives payments through
// the gateway at each rate of a ladder with a load generator in its own process and prints, per
// rate, requests achieved, API latency, completion lag, audit exactly-once, CPU per payment per
// process. Then one run at a moderate rate with a RabbitMQ restart in the middle (lost/doubled).
//
// Run it under the stack lock and the infrastructure lock — exclusive when the broker restart is
// part of the run (it stops the shared RabbitMQ), shared otherwise:
//   flock -x /tmp/bank-infra.lock flock /tmp/bank-stack.lock npm run bench -- platform
//   flock -s /tmp/bank-infra.lock flock /tmp/bank-stack.lock npm run bench -- platform --restart-rate 0 [--rates 50,100] [--seconds 20]
// (Taking the exclusive lock from inside, while holding the stack lock, would deadlock with
// anyone queued for the stack lock under a shared infrastructure lock.)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, RUN_DIR } from '../lib/local-env.ts';
import { brokerConfirmsPerSecond, postgresCommitsPerSecond } from './platform-baselines.ts';
import type { LoadPlan, LoadResult } from './platform-load.ts';
import { adminDb, auditOnce, completionLag, cpuPerPayment, cpuSnapshot, paymentsDb, processGroups, waitForCompletion } from './platform-measure.ts';
import { signInSenders } from './platform-senders.ts';

const { values: args } = parseArgs({
  options: {
    rates: { type: 'string', default: '50,100,200,300,400' },
    seconds: { type: 'string', default: '60' },
    'restart-rate': { type: 'string', default: '100' },
  },
});
const rates = args.rates.split(',').map(Number).filter((n) => n > 0);
const seconds = Number(args.seconds);
const restartRate = Number(args['restart-rate']);

// The processor's default step delay (services/payments PROCESSOR_STEP_DELAY_MS), passed explicitly
// so a different value in the caller's environment cannot change what is subtracted.
const STEP_DELAY_MS = 1500;
const SIMULATED_MS = 2 * STEP_DELAY_MS; // pending → processing → completed
// Through the gateway's own port, not nginx: nginx limits each client address to 100 requests a
// minute (the edge's abuse limit) and the load generator is one address; the gateway still does
// everything it does in production (token, revocation, per-user rate limit, proxy).
const GATEWAY_URL = 'http://127.0.0.1:3000';
// The gateway limits each user to 300 requests a minute (RATE_LIMIT_MAX): 100 senders keep 400/s under it.
const SENDERS = 100;
/** Sign in again once the tokens are this old (they last 10 minutes; a step with its drain can take four). */
const TOKEN_REFRESH_AFTER_MS = 5 * 60_000;
const CONCURRENCY = 32;
/** Lag is bounded when its p95 stays under this and every payment has finished soon after the load. */
const BOUNDED_P95_MS = 1_000;
const DRAIN_MS = 30_000;
/** After the broker restart the question is "lost or doubled", not speed: wait longer for the backlog. */
const RESTART_DRAIN_MS = 180_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (message: string) => console.log(message);

function runLoad(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'platform-load.ts'), JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

interface StepReport {
  rate: number;
  load: LoadResult;
  lag: Awaited<ReturnType<typeof completionLag>>;
  audit: Awaited<ReturnType<typeof auditOnce>>;
  cpu: Record<string, number>;
  lost: number;
  doubled: number;
  unanswered: number;
  bounded: boolean;
}

const scratch = mkdtempSync(join(tmpdir(), 'bench-platform-'));
const runId = Date.now().toString(36);
/** Every payment of this run carries a description starting with this. */
const runPrefix = `bench:${runId}:`;
let platform: ChildProcess | undefined;

async function step(rate: number, senders: LoadPlan['senders'], groups: Record<string, number[]>, during?: () => Promise<void>): Promise<StepReport> {
  const tag = `${runPrefix}${rate}${during ? ':restart' : ''}`;
  const idsFile = join(scratch, `${tag.replace(/:/g, '-')}.ids`);
  const pay = paymentsDb();
  const adm = adminDb();
  try {
    // An overloaded step leaves a backlog: it drains before this step starts, or it would be
    // counted in this step's lag and CPU.
    const waitStarted = Date.now();
    const backlog = await waitForCompletion(pay, `${runPrefix}%`, RESTART_DRAIN_MS);
    const waitedS = Math.round((Date.now() - waitStarted) / 1000);
    if (waitedS > 1 || backlog > 0) say(`\n  (waited ${waitedS} s for the previous steps' backlog; ${backlog} still unfinished)`);
    const since = new Date(Date.now() - 5_000);
    const before = cpuSnapshot(groups);
    const loading = runLoad({ gatewayUrl: GATEWAY_URL, ratePerSecond: rate, seconds, senders, tag, idsFile });
    if (during) await during();
    const load = await loading;
    await waitForCompletion(pay, tag, during ? RESTART_DRAIN_MS : DRAIN_MS);
    const after = cpuSnapshot(groups);
    const lag = await completionLag(pay, tag, SIMULATED_MS);
    const audit = await auditOnce(adm, lag.ids, since, 20_000);
    const answered = new Set(readFileSync(idsFile, 'utf8').split('\n').filter(Boolean));
    // Lost: answered 201 but not in the database (one unfinished after the drain is counted lost
    // only if it is still unfinished at the end of the run). Doubled: more payments than
    // requests (each request has its own Idempotency-Key and is sent once), or an audit event twice.
    // A payment created whose answer was an error or a timeout is counted apart (unanswered).
    const lost = [...answered].filter((id) => !lag.ids.has(id)).length;
    const doubled = Math.max(0, lag.payments - load.offered) + audit.doubled;
    const unanswered = [...lag.ids].filter((id) => !answered.has(id)).length;
    const bounded = lag.unfinished === 0 && lag.lagMs.p95 <= BOUNDED_P95_MS;
    return { rate, load, lag, audit, cpu: cpuPerPayment(before, after, lag.payments), lost, doubled, unanswered, bounded };
  } finally {
    await pay.end();
    await adm.end();
  }
}

function print(r: StepReport, label = '') {
  const l = r.load.latencyMs;
  const g = r.lag.lagMs;
  const statuses = Object.entries(r.load.statuses).map(([k, v]) => `${k}×${v}`).join(' ');
  say(`\n● ${r.rate}/s for ${seconds} s${label}`);
  say(`  requests    offered ${r.load.offered}, achieved ${r.load.achievedPerSecond}/s, answers ${statuses}`);
  say(`  API         p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  max ${l.max} ms`);
  say(`  lag         p50 ${g.p50} ms  p95 ${g.p95} ms  p99 ${g.p99} ms  max ${g.max} ms  (completed − created − ${SIMULATED_MS} ms simulated); unfinished ${(label ? RESTART_DRAIN_MS : DRAIN_MS) / 1000} s after the load: ${r.lag.unfinished}`);
  say(`  audit       exactly once ${r.audit.exactlyOnce}/${r.lag.payments}, missing ${r.audit.missing}, doubled ${r.audit.doubled}`);
  say(`  lost ${r.lost}, doubled ${r.doubled}, created but answered with an error/timeout ${r.unanswered}; lag ${r.bounded ? 'bounded' : 'NOT bounded'}`);
  say(`  CPU ms/payment ${Object.entries(r.cpu).map(([k, v]) => `${k} ${(v * 1000).toFixed(2)}`).join('  ')}`);
}

async function stopPlatform() {
  if (!platform || platform.exitCode !== null) return;
  platform.kill('SIGTERM');
  await new Promise((r) => platform!.once('exit', r));
}

let status = 0;
// Ctrl-C / SIGTERM: stop the platform and release the lock before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopPlatform().finally(() => process.exit(130));
  });
}
try {
  say(`platform benchmark: rates ${rates.join(', ')}/s × ${seconds} s, broker restart at ${restartRate}/s, node ${process.version}, ${SENDERS} senders, via ${GATEWAY_URL}`);
  say('(shared machine: other work runs on the same cores — compare figures within one run)');
  rmSync(`${RUN_DIR}/ready`, { force: true });
  const env: Record<string, string | undefined> = { ...process.env, PROCESSOR_STEP_DELAY_MS: String(STEP_DELAY_MS) };
  // The default configuration: no overrides the runner would pass on from the caller's shell.
  for (const key of ['LOG_LEVEL', 'GATEWAY_RATE_LIMIT_MAX', 'LOGIN_THROTTLE_FREE_PER_ADDRESS', 'PLATFORM_SERVICES', 'NGINX_API_RATE', 'NGINX_API_BURST']) delete env[key];
  // --no-build: the front-end bundles are not on the measured path (the load calls the API).
  platform = spawn(process.execPath, ['scripts/platform.ts', 'start', '--no-build'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (c: Buffer) => (log = (log + c.toString()).slice(-20_000));
  platform.stdout!.on('data', keep);
  platform.stderr!.on('data', keep);
  const deadline = Date.now() + 240_000;
  while (!existsSync(`${RUN_DIR}/ready`) && platform.exitCode === null && Date.now() < deadline) await sleep(500);
  if (!existsSync(`${RUN_DIR}/ready`)) throw new Error(`the platform did not start:\n${log.slice(-3000)}`);
  const groups = processGroups();
  say(`processes: ${Object.entries(groups).map(([k, v]) => `${k} ${v.length === 1 ? v[0] : `${v.length} pids`}`).join(', ')}`);

  let senders = await signInSenders(SENDERS);
  let signedInAt = Date.now();
  // Access tokens live 10 minutes: on a loaded machine a ladder outlives them (answers 401 at the
  // last rates), so the senders sign in again before a step that could outlast their tokens.
  const freshSenders = async () => {
    if (Date.now() - signedInAt > TOKEN_REFRESH_AFTER_MS) {
      senders = await signInSenders(SENDERS);
      signedInAt = Date.now();
    }
    return senders;
  };
  say(`\nbaselines (concurrency ${CONCURRENCY}, 5 s each):`);
  say(`  PostgreSQL single-row insert commits  ${await postgresCommitsPerSecond(CONCURRENCY)}/s`);
  say(`  RabbitMQ publish with confirms         ${await brokerConfirmsPerSecond(CONCURRENCY)}/s`);

  const reports: StepReport[] = [];
  for (const rate of rates) {
    const report = await step(rate, await freshSenders(), groups);
    print(report);
    reports.push(report);
  }
  const bounded = reports.filter((r) => r.bounded).map((r) => r.rate);
  say(`\nhighest rate with bounded lag (p95 ≤ ${BOUNDED_P95_MS} ms, all finished): ${bounded.length ? `${Math.max(...bounded)}/s` : 'none'}`);

  if (restartRate > 0) {
    const restart = await step(restartRate, await freshSenders(), groups, async () => {
      await sleep((seconds * 1000) / 3);
      const drill = spawnSync('sh', ['-c', 'rabbitmqctl -q stop_app; sleep 5; rabbitmqctl -q start_app'], { encoding: 'utf8' });
      say(`\nbroker restarted (rabbitmqctl stop_app, 5 s, start_app): ${drill.status === 0 ? 'ok' : drill.stderr}`);
    });
    print(restart, ', RabbitMQ restarted a third of the way in');
    if (restart.lost !== 0 || restart.doubled !== 0) status = 1;
    reports.push(restart);
  }
  const lateAtDrain = reports.reduce((n, r) => n + r.lag.unfinished, 0);
  if (lateAtDrain > 0) {
    const pay = paymentsDb();
    const never = await waitForCompletion(pay, `${runPrefix}%`, RESTART_DRAIN_MS).finally(() => pay.end());
    say(`\nunfinished at their step's drain: ${lateAtDrain}; still unfinished ${RESTART_DRAIN_MS / 1000} s after the last step (lost): ${never}`);
    if (never > 0) status = 1;
  }
} catch (err) {
  console.error(err);
  status = 1;
} finally {
  await stopPlatform();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
