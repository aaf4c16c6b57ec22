// `npm test` (via scripts/test.sh): every suite of the repository, one after another, the
// images built with a real Docker engine (scripts/images/) and run as the charts render them
// (scripts/containers/, the whole platform in containers included), then the platform started natively
// and the stack-level and browser suites run through nginx.
// Prints a table and a final `N passed, N failed` line (assertions, as counted by tap).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { REPO_ROOT, RUN_DIR } from './lib/local-env.ts';
import { imagesPhase } from './images/phase.ts';

interface SuiteResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
}
const results: SuiteResult[] = [];

function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** tap's summary line: `# { total: 12, pass: 11, fail: 1, skip: 0 }`. */
function tapSummary(output: string) {
  const line = [...output.matchAll(/^# \{ (.+) \}$/gm)].at(-1)?.[1];
  if (!line) return undefined;
  const get = (k: string) => Number(new RegExp(`${k}: (\\d+)`).exec(line)?.[1] ?? 0);
  return { total: get('total'), pass: get('pass'), fail: get('fail'), skip: get('skip') + get('todo') };
}

// The services export their spans to the OTLP receiver of platform-tests/test/trace-chain.test.ts
// (nothing listens outside that test: the exporters drop those batches). Batches every 500 ms.
const TRACE_EXPORT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_BSP_SCHEDULE_DELAY: '500' };

// The browser's Sentry project in the e2e run: the gateway's tunnel forwards to it, and
// frontends/e2e/test/error-reporting.test.ts listens on its port, standing in for Sentry. Only the
// gateway gets it: /config.json stays without a DSN (the test gives its own pages one).
const BROWSER_SENTRY_E2E_DSN = 'http://e2ebrowserkey@127.0.0.1:4319/7';

async function tapSuite(name: string, cwd: string, env?: Record<string, string>) {
  console.log(`\n\x1b[1m━━ ${name}\x1b[0m`);
  const started = Date.now();
  const { code, output } = await run('npx', ['tap', '--reporter=terse'], { cwd, ...(env ? { env } : {}) });
  const summary = tapSummary(output);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!summary) results.push({ name, passed: 0, failed: 1, skipped: 0, seconds }); // crashed before reporting
  else results.push({ name, passed: summary.pass, failed: summary.fail + (code !== 0 && summary.fail === 0 ? 1 : 0), skipped: summary.skip, seconds });
}

async function checkTask(name: string, cmd: string, args: string[]) {
  console.log(`\n\x1b[1m━━ ${name}\x1b[0m`);
  const started = Date.now();
  const { code, output } = await run(cmd, args, { cwd: REPO_ROOT });
  const failedTasks = [...output.matchAll(/^\s*Failed:\s+(.+)$/gm)].length;
  results.push({ name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : Math.max(1, failedTasks), skipped: 0, seconds: Math.round((Date.now() - started) / 1000) });
}

function workspacesWithTests(folder: 'services' | 'frontends', exclude: string[]): string[] {
  return readdirSync(`${REPO_ROOT}/${folder}`)
    .filter((dir) => !exclude.includes(dir))
    .filter((dir) => {
      const pkg = `${REPO_ROOT}/${folder}/${dir}/package.json`;
      return existsSync(pkg) && Boolean(JSON.parse(readFileSync(pkg, 'utf8')).scripts?.test) && existsSync(`${REPO_ROOT}/${folder}/${dir}/test`);
    })
    .map((dir) => `${folder}/${dir}`);
}

async function withPlatform(body: () => Promise<void>) {
  if (existsSync(`${RUN_DIR}/platform.pid`)) {
    const pid = Number(readFileSync(`${RUN_DIR}/platform.pid`, 'utf8'));
    try {
      process.kill(pid, 0);
      console.error(`\x1b[31mA platform started with \`npm start\` is running (pid ${pid}); stop it (npm run stop) so the tests can start their own.\x1b[0m`);
      results.push({ name: 'platform start', passed: 0, failed: 1, skipped: 0, seconds: 0 });
      return;
    } catch {
      rmSync(`${RUN_DIR}/platform.pid`, { force: true });
    }
  }
  console.log('\n\x1b[1m━━ starting the platform (natively, behind nginx)\x1b[0m');
  rmSync(`${RUN_DIR}/ready`, { force: true });
  const platform = spawn(process.execPath, ['scripts/platform.ts', 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      // Tests sign in many users from 127.0.0.1: raise the per-IP edge limits (the limits
      // themselves are tested on a separate nginx with the default values).
      NGINX_AUTH_RATE: '6000r/m',
      NGINX_AUTH_BURST: '1000',
      NGINX_API_RATE: '60000r/m',
      NGINX_API_BURST: '5000',
      GATEWAY_RATE_LIMIT_MAX: '100000',
      // Likewise the sign-in throttle per address (failures from 127.0.0.1 add up across suites);
      // the per account+address throttle keeps its defaults and is tested through nginx.
      LOGIN_THROTTLE_FREE_PER_ADDRESS: '100000',
      PROCESSOR_STEP_DELAY_MS: '400',
      LOG_LEVEL: 'warn',
      GATEWAY_BROWSER_SENTRY_DSN: BROWSER_SENTRY_E2E_DSN,
      ...TRACE_EXPORT,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  platform.stdout.on('data', (c: Buffer) => (log += c.toString()));
  platform.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const deadline = Date.now() + 300_000;
  while (!existsSync(`${RUN_DIR}/ready`) && platform.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  if (!existsSync(`${RUN_DIR}/ready`)) {
    console.error(log.slice(-6000));
    console.error('\x1b[31mthe platform did not start\x1b[0m');
    results.push({ name: 'platform start', passed: 0, failed: 1, skipped: 0, seconds: 0 });
    platform.kill('SIGTERM');
    return;
  }
  results.push({ name: 'platform start', passed: 1, failed: 0, skipped: 0, seconds: 0 });
  try {
    await body();
  } finally {
    platform.kill('SIGTERM');
    await new Promise((r) => platform.once('exit', r));
    const errors = log.split('\n').filter((l) => /\b(ERROR|FATAL)\b/.test(l));
    if (errors.length) console.log(`\nplatform log: ${errors.length} ERROR lines, last ones:\n${errors.slice(-10).join('\n')}`);
  }
}

/**
 * The containerised platform (scripts/containers.ts up --profile test): the 9 images with the
 * settings the charts render, behind an edge nginx generated from the gateway's Ingress objects,
 * on the native runner's ports — then `body`, then `down`.
 */
async function withContainerPlatform(body: () => Promise<void>) {
  console.log('\n\x1b[1m━━ starting the platform in containers (rendered by Helm, behind the Ingress edge)\x1b[0m');
  const t0 = Date.now();
  const { code } = await run(process.execPath, ['scripts/containers.ts', 'up', '--profile', 'test'], { cwd: REPO_ROOT });
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (code !== 0) {
    results.push({ name: 'containerised platform up', passed: 0, failed: 1, skipped: 0, seconds });
    await run(process.execPath, ['scripts/containers.ts', 'down'], { cwd: REPO_ROOT });
    return;
  }
  results.push({ name: 'containerised platform up', passed: 1, failed: 0, skipped: 0, seconds });
  try {
    await body();
  } finally {
    await run(process.execPath, ['scripts/containers.ts', 'down'], { cwd: REPO_ROOT });
  }
}

const started = Date.now();
const only = process.argv.slice(2);
const want = (phase: string) => only.length === 0 || only.includes(phase);

if (want('static')) {
  await checkTask('typecheck (all workspaces)', 'npx', ['turbo', 'run', 'typecheck', '--continue', '--concurrency=2', '--output-logs=errors-only']);
  await checkTask('lint (all workspaces)', 'npx', ['turbo', 'run', 'lint', '--continue', '--concurrency=2', '--output-logs=errors-only']);
  await tapSuite('scripts (Helm 3/4, k8s schemas, delivery checks)', `${REPO_ROOT}/scripts`);
  // The shell's build ends with the bundle budget (frontends/ui/scripts/bundle-budget.mjs).
  await checkTask('front-end builds + bundle budget', 'npx', ['turbo', 'run', 'build', '--filter=./frontends/*', '--output-logs=errors-only']);
}
if (want('unit')) {
  for (const ws of workspacesWithTests('services', ['platform-tests'])) await tapSuite(ws, `${REPO_ROOT}/${ws}`);
  for (const ws of workspacesWithTests('frontends', ['e2e'])) await tapSuite(ws, `${REPO_ROOT}/${ws}`);
}
let imagesSkipped: string | undefined;
if (want('images')) {
  console.log('\n\x1b[1m━━ images (Docker engine, local base images, all 9 images built)\x1b[0m');
  const outcome = await imagesPhase();
  results.push(...outcome.rows);
  imagesSkipped = outcome.skipped;
  if (!outcome.skipped) {
    if (outcome.rows.some((r) => r.failed)) {
      results.push({ name: 'containers (not run: an image did not build)', passed: 0, failed: 0, skipped: 1, seconds: 0 });
    } else {
      // Issue 10 items 2 and 3: every pod as the charts render it, then the whole platform in
      // containers with services/platform-tests through the Ingress edge (scripts/containers/).
      await tapSuite('scripts/containers (every pod as the charts render it)', `${REPO_ROOT}/scripts/containers`);
      await withContainerPlatform(async () => {
        await tapSuite('services/platform-tests (containers, through the Ingress edge)', `${REPO_ROOT}/services/platform-tests`);
      });
    }
  }
}
if (want('stack')) {
  await withPlatform(async () => {
    await tapSuite('services/platform-tests (through nginx)', `${REPO_ROOT}/services/platform-tests`, TRACE_EXPORT);
    if (existsSync(`${REPO_ROOT}/frontends/e2e/package.json`)) {
      await tapSuite('frontends/e2e (Chromium through nginx)', `${REPO_ROOT}/frontends/e2e`, { E2E_REQUIRED: '1', E2E_SENTRY_DSN: BROWSER_SENTRY_E2E_DSN });
    }
  });
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log('\n\x1b[1m━━ summary\x1b[0m');
for (const r of results) {
  const mark = r.failed ? '\x1b[31m✖\x1b[0m' : '\x1b[32m✔\x1b[0m';
  console.log(`${mark} ${r.name.padEnd(48)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(3)} failed${r.skipped ? ` ${r.skipped} skipped` : ''}  ${r.seconds}s`);
}
console.log(`total time ${Math.round((Date.now() - started) / 1000)}s`);
if (imagesSkipped) console.log(`\x1b[33mimage phase skipped: ${imagesSkipped}\x1b[0m`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
