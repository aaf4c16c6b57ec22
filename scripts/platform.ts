// The native runner: `npm start` (via scripts/start.sh, which provisions Node 24 and installs
// dependencies first). Checks the infrastructure, provisions databases/users/keys, builds the
// front-ends, starts every service and nginx with prefixed logs, prints the URL and demo
// credentials, and stops everything cleanly on Ctrl-C.
//
//   node scripts/platform.ts start [--watch] [--no-build]
//   node scripts/platform.ts stop
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { parseArgs } from 'node:util';
import { REPO_ROOT, RUN_DIR, settings } from './lib/local-env.ts';
import { SERVICES, serviceDir, type ServiceSpec } from './lib/services.ts';
import { Supervisor } from './lib/supervisor.ts';
import { checkNginxConfig, nginxBinary, renderNginxConfig } from './lib/nginx.ts';
import { writeShellRuntimeConfig } from './lib/shell-runtime-config.ts';
import {
  databaseUrl,
  ensureCertificate,
  ensureDatabases,
  ensureJwtKey,
  ensureRabbitUsers,
  loadSecrets,
  rabbitUrl,
  type Secrets,
} from './lib/provision.ts';

const { positionals, values: flags } = parseArgs({
  allowPositionals: true,
  options: { watch: { type: 'boolean', default: false }, 'no-build': { type: 'boolean', default: false } },
});
const command = positionals[0] ?? 'start';
const PID_FILE = `${RUN_DIR}/platform.pid`;
const colours = [36, 35, 33, 32, 34, 31, 90];
const children: Array<{ name: string; child: ChildProcess }> = [];
/** Services are supervised: restarted with backoff when they exit unexpectedly (lib/supervisor.ts). */
const supervisors: Supervisor[] = [];
let stopping = false;

function say(message: string) {
  console.log(`\x1b[1m▸\x1b[0m ${message}`);
}
function fail(message: string): never {
  console.error(`\x1b[31m✖ ${message}\x1b[0m`);
  stopping = true;
  for (const supervisor of supervisors) supervisor.stop();
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM');
  rmSync(PID_FILE, { force: true });
  process.exit(1);
}

function portOpen(host: string, port: number, timeoutMs = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function checkInfrastructure() {
  const missing: string[] = [];
  if (!(await portOpen(settings.pgHost, settings.pgPort)))
    missing.push(`PostgreSQL is not reachable on ${settings.pgHost}:${settings.pgPort} — start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
  const redis = new URL(settings.redisUrl);
  if (!(await portOpen(redis.hostname, Number(redis.port || 6379))))
    missing.push(`Redis is not reachable at ${settings.redisUrl} — start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`);
  if (!(await portOpen(settings.rabbitHost, settings.rabbitPort)))
    missing.push(`RabbitMQ is not reachable on ${settings.rabbitHost}:${settings.rabbitPort} — start it: rabbitmq-server -detached`);
  if (spawnSync('rabbitmqctl', ['-q', 'version'], { stdio: 'ignore' }).status !== 0)
    missing.push('rabbitmqctl is not on PATH (needed to create per-service RabbitMQ users); install rabbitmq-server or run as a user allowed to use it');
  if (!nginxBinary()) missing.push('nginx is not installed — as root on Debian: apt-get update && apt-get install -y nginx');
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0) missing.push('openssl is not installed (apt-get install -y openssl)');
  if (missing.length) fail(`The platform needs:\n  - ${missing.join('\n  - ')}`);
}

function serviceEnv(s: ServiceSpec, secrets: Secrets): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: settings.logLevel,
    HOST: '127.0.0.1',
    PORT: String(s.port),
    OTEL_SERVICE_NAME: s.name,
    REDIS_URL: settings.redisUrl,
    MIGRATE_ON_START: 'true',
    AUTH_JWKS_URL: 'http://127.0.0.1:3001/auth/.well-known/jwks.json',
    AUTH_URL: 'http://127.0.0.1:3001',
    PAYMENTS_URL: 'http://127.0.0.1:3002',
    ADMIN_URL: 'http://127.0.0.1:3003',
    PROFILE_URL: 'http://127.0.0.1:3004',
    GATEWAY_URL: 'http://127.0.0.1:3000',
    RABBITMQ_MANAGEMENT_URL: settings.rabbitManagementUrl,
  };
  if (s.database) env.DATABASE_URL = databaseUrl(s.name, secrets);
  if (s.rabbit) env.RABBITMQ_URL = rabbitUrl(s.name, secrets);
  if (s.name === 'auth') {
    env.JWT_PRIVATE_KEY_FILE = `${RUN_DIR}/keys/jwt-es256.pem`;
    env.SEED_DEMO_USERS = 'true';
  }
  if (s.name === 'gateway' && settings.gatewayRateLimitMax) env.RATE_LIMIT_MAX = settings.gatewayRateLimitMax;
  if (s.name === 'gateway' && settings.gatewayBrowserSentryDsn) env.BROWSER_SENTRY_DSN = settings.gatewayBrowserSentryDsn;
  if (s.name === 'auth' && settings.loginThrottleFreePerAddress) env.LOGIN_THROTTLE_FREE_PER_ADDRESS = settings.loginThrottleFreePerAddress;
  if (s.name === 'payments' && settings.paymentsProcessorDelayMs) env.PROCESSOR_STEP_DELAY_MS = settings.paymentsProcessorDelayMs;
  return env;
}

function pipeWithPrefix(name: string, colour: number, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) {
  if (!stream) return;
  let buffer = '';
  const prefix = `\x1b[${colour}m${name.padEnd(8)}\x1b[0m│ `;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix}${formatLogLine(line)}\n`);
  });
}

/** pino JSON → "level msg {context}" so the combined log stays readable; other lines as is. */
function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const { level, msg, time: _t, service: _s, pid: _p, hostname: _h, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const context = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    return `${String(level).toUpperCase().padEnd(5)} ${msg ?? ''}${context}`;
  } catch {
    return line;
  }
}

function startProcess(name: string, cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }) {
  const colour = colours[children.length % colours.length] ?? 36;
  // Its own process group: nginx's workers outlive a master killed with SIGKILL, and would keep
  // the ports (serving the old build) — the last resort below kills the whole group.
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  pipeWithPrefix(name, colour, child.stdout, process.stdout);
  pipeWithPrefix(name, colour, child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`\x1b[31m${name} exited (${signal ?? code})\x1b[0m`);
  });
  children.push({ name, child });
  return child;
}

/** A service: like startProcess, but restarted with backoff whenever it exits unexpectedly. */
function startSupervised(name: string, cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }) {
  const colour = colours[children.length % colours.length] ?? 36;
  const entry = { name, child: undefined as unknown as ChildProcess };
  const supervisor = new Supervisor({
    name,
    command: cmd,
    args,
    spawnOptions: { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    onStart: (child) => {
      entry.child = child;
      pipeWithPrefix(name, colour, child.stdout, process.stdout);
      pipeWithPrefix(name, colour, child.stderr, process.stderr);
    },
    log: (message) => {
      if (!stopping) console.error(`\x1b[31m${'runner'.padEnd(8)}│ ${message}\x1b[0m`);
    },
  });
  supervisor.start();
  supervisors.push(supervisor);
  children.push(entry);
  return supervisor;
}

async function waitReady(name: string, url: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    const child = children.find((c) => c.name === name)?.child;
    if (child && child.exitCode !== null) fail(`${name} exited during start-up (see its log above)`);
    await new Promise((r) => setTimeout(r, 300));
  }
  fail(`${name} was not ready within ${timeoutMs / 1000}s (${url})`);
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const supervisor of supervisors) supervisor.stop(null); // no restarts from here on
  // Reverse start order: nginx and the gateway first, so nothing new reaches the services.
  for (const { child } of [...children].reverse()) if (child.exitCode === null) child.kill('SIGTERM');
  const deadline = Date.now() + 15_000;
  while (children.some((c) => c.child.exitCode === null && c.child.signalCode === null) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // nginx's group (workers included) even when the master already exited.
  for (const { child } of children) if (child.spawnargs[0] === nginxBinary() && child.pid) killGroup(child.pid);
  rmSync(PID_FILE, { force: true });
  rmSync(`${RUN_DIR}/ready`, { force: true });
  say('stopped');
  process.exit(code);
}

async function start() {
  if (existsSync(PID_FILE)) {
    const pid = Number(readFileSync(PID_FILE, 'utf8'));
    try {
      process.kill(pid, 0);
      fail(`the platform is already running (pid ${pid}); stop it with: npm run stop`);
    } catch {
      rmSync(PID_FILE, { force: true });
    }
  }
  say('checking PostgreSQL, Redis, RabbitMQ, nginx, openssl');
  await checkInfrastructure();
  mkdirSync(RUN_DIR, { recursive: true });
  writeFileSync(PID_FILE, String(process.pid));
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  say('provisioning databases, roles, RabbitMQ users, keys and the TLS certificate');
  const secrets = loadSecrets();
  ensureCertificate();
  ensureJwtKey();
  await ensureDatabases(secrets);
  await ensureRabbitUsers(secrets);

  if (!flags['no-build'] && !flags.watch) {
    say('building the front-ends');
    const build = spawnSync('npx', ['turbo', 'run', 'build', '--filter=./frontends/*', '--output-logs=errors-only'], { cwd: REPO_ROOT, stdio: 'inherit' });
    if (build.status !== 0) fail('front-end build failed');
  }

  // /config.json with the browser's Sentry settings when BROWSER_SENTRY_DSN is set (the services
  // read SENTRY_DSN themselves: they inherit this environment; the gateway's tunnel, which the
  // browser posts to by default, reads the same BROWSER_SENTRY_DSN).
  try {
    if (writeShellRuntimeConfig(`${REPO_ROOT}/frontends/shell/public/config.json`, `${REPO_ROOT}/frontends/shell/dist`, process.env)) say('browser error reports: on (BROWSER_SENTRY_DSN)');
  } catch (error) {
    fail(`the shell's /config.json: ${(error as Error).message}`);
  }

  for (const s of SERVICES) {
    const dir = serviceDir(REPO_ROOT, s.name);
    if (!existsSync(`${dir}/src/server.ts`) || (settings.onlyServices && !settings.onlyServices.includes(s.name))) {
      say(`skipping ${s.name}`);
      continue;
    }
    const watch = flags.watch ? ['--watch-path=src', '--watch-path=../kit/src', '--watch-path=../events/src'] : [];
    startSupervised(s.name, process.execPath, [...watch, '--import', '@bank/kit/instrument', 'src/server.ts'], { cwd: dir, env: serviceEnv(s, secrets) });
    await waitReady(s.name, `http://127.0.0.1:${s.port}/health/ready`);
  }

  if (flags.watch) {
    say('watch mode: remotes rebuild on change (vite build --watch), the shell runs its dev server');
    for (const remote of ['auth', 'payments', 'admin']) {
      if (existsSync(`${REPO_ROOT}/frontends/${remote}/package.json`)) startProcess(`mfe-${remote}`, 'npm', ['run', 'dev'], { cwd: `${REPO_ROOT}/frontends/${remote}` });
    }
    if (existsSync(`${REPO_ROOT}/frontends/shell/package.json`)) startProcess('shell', 'npm', ['run', 'dev'], { cwd: `${REPO_ROOT}/frontends/shell` });
  }

  const conf = renderNginxConfig({
    runDir: RUN_DIR,
    httpsPort: settings.httpsPort,
    httpPort: settings.httpPort,
    gatewayUpstream: '127.0.0.1:3000',
    apiRate: settings.apiRate,
    apiBurst: settings.apiBurst,
    authRate: settings.authRate,
    authBurst: settings.authBurst,
  });
  const invalid = checkNginxConfig(conf, RUN_DIR);
  if (invalid) fail(`nginx configuration is invalid:\n${invalid}`);
  startProcess('nginx', nginxBinary()!, ['-p', `${RUN_DIR}/nginx`, '-c', conf], { cwd: RUN_DIR });
  const url = `https://localhost:${settings.httpsPort}`;
  await waitReadyInsecure(url);

  writeFileSync(`${RUN_DIR}/ready`, url);
  const devShell = flags.watch ? `\n  Dev shell   http://127.0.0.1:4200   (Vite dev server with hot reload; remotes rebuild on change)` : '';
  console.log(`
\x1b[1;32m✔ The platform is running\x1b[0m

  Open        \x1b[1m${url}\x1b[0m   (self-signed certificate: accept it once, or trust ${RUN_DIR}/certs/tls.crt)
  API         ${url}/api   —   docs: ${url}/api/docs
  Demo users  admin@bank.local / Admin!Passw0rd        (ADMIN)
              customer@bank.local / Customer!Passw0rd  (CUSTOMER)
  Logs        below, prefixed per process; nginx access log: ${RUN_DIR}/nginx/access.log
  Stop        Ctrl-C (or \`npm run stop\` from another terminal)${devShell}
`);
}

async function waitReadyInsecure(url: string) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const probe = spawnSync('curl', ['-ksf', '-o', '/dev/null', `${url}/api/auth/.well-known/jwks.json`]);
    if (probe.status === 0) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  fail(`nginx did not answer on ${url}`);
}

function stop() {
  if (!existsSync(PID_FILE)) {
    say('the platform is not running');
    return;
  }
  const pid = Number(readFileSync(PID_FILE, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
    say(`sent SIGTERM to the runner (pid ${pid})`);
  } catch {
    rmSync(PID_FILE, { force: true });
    say('the platform was not running (stale pid file removed)');
  }
}

if (command === 'start') await start();
else if (command === 'stop') stop();
else fail(`unknown command ${command}; use start or stop`);
