// The edge as a client meets it: TLS, redirect, security headers, nginx's own limits and
// error bodies, and the gateway's upstream error mapping — through real nginx processes.
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { checkNginxConfig, nginxBinary, renderNginxConfig } from '../../../scripts/lib/nginx.ts';
import { REPO_ROOT } from '../../../scripts/lib/local-env.ts';
import { api, insecure, newCustomer, PLATFORM_URL, uniqueEmail } from './helper.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

// Generous: a process started on a loaded 2-core machine (the suites run in parallel) can take
// well over 20 s to listen; the wait ends as soon as it answers.
async function waitFor(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await request(url, { dispatcher: insecure }).then((r) => r.body.dump());
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`${url} did not come up`);
}

/** A second nginx from the same template, with its own ports, limits and gateway upstream. */
async function startEdge(t: { teardown(fn: () => unknown): void }, opts: { gateway: string; authRate?: string; authBurst?: number }) {
  const runDir = mkdtempSync(join(tmpdir(), 'edge-'));
  spawnSync('cp', ['-r', `${REPO_ROOT}/.run/certs`, `${runDir}/certs`]);
  const httpsPort = await freePort();
  const conf = renderNginxConfig({
    runDir,
    httpsPort,
    httpPort: await freePort(),
    gatewayUpstream: opts.gateway,
    apiRate: '100r/m',
    apiBurst: 20,
    authRate: opts.authRate ?? '10r/m',
    authBurst: opts.authBurst ?? 5,
  });
  const invalid = checkNginxConfig(conf, runDir);
  if (invalid) throw new Error(invalid);
  const nginx = spawn(nginxBinary()!, ['-p', `${runDir}/nginx`, '-c', conf], { stdio: 'ignore' });
  t.teardown(() => nginx.kill('SIGQUIT'));
  const base = `https://127.0.0.1:${httpsPort}`;
  await waitFor(base);
  return base;
}

t.test('HTTP redirects to HTTPS with 301', async (t) => {
  const { hostname, port } = new URL(PLATFORM_URL);
  const httpPort = port === '8443' ? 8080 : Number(process.env.HTTP_PORT ?? 8080);
  // The platform's host name, not an address: an Ingress rule has a host (ingress.host), and a
  // request for another host meets ingress-nginx's catch-all server (404), not the redirect.
  const res = await request(`http://${hostname}:${httpPort}/api/auth/me?x=1`, { method: 'GET' });
  await res.body.dump();
  t.equal(res.statusCode, 301);
  t.equal(String(res.headers.location), `https://${hostname}${port ? `:${port}` : ''}/api/auth/me?x=1`);
});

t.test('TLS 1.2+ only, security headers on every response, gzip', async (t) => {
  const tls11 = spawnSync('openssl', ['s_client', '-connect', '127.0.0.1:8443', '-tls1_1'], { input: '', encoding: 'utf8', timeout: 10_000 });
  t.not(tls11.status, 0, 'TLS 1.1 handshake refused');
  const tls13 = spawnSync('openssl', ['s_client', '-connect', '127.0.0.1:8443', '-tls1_3'], { input: '', encoding: 'utf8', timeout: 10_000 });
  t.match(tls13.stdout, /TLSv1\.3/, 'TLS 1.3 accepted');

  for (const path of ['/', '/api/auth/.well-known/jwks.json', '/api/payments/whatever']) {
    const res = await api('GET', path, { headers: { 'accept-encoding': 'gzip' } });
    t.match(res.headers['strict-transport-security'], /max-age=31536000/, `HSTS on ${path}`);
    t.equal(res.headers['x-frame-options'], 'DENY');
    t.equal(res.headers['x-content-type-options'], 'nosniff');
    t.ok(res.headers['referrer-policy']);
    t.match(res.headers['content-security-policy'], /default-src 'self'.*frame-ancestors 'none'/);
    t.ok(res.headers['x-request-id'] || path === '/', 'request id echoed by the API');
  }
  const shell = await request(`${PLATFORM_URL}/`, { dispatcher: insecure, headers: { 'accept-encoding': 'gzip' } });
  await shell.body.dump();
  t.equal(shell.headers['cache-control'], 'no-cache', 'index.html is revalidated');
});

t.test('/metrics and /health are never routed from outside', async (t) => {
  for (const path of ['/metrics', '/health/ready', '/api/metrics', '/api/auth/../../metrics']) {
    const res = await api('GET', path);
    t.notMatch(res.text, /process_cpu_seconds_total|http_requests_total/, `${path} exposes no metrics`);
  }
});

t.test('sign-up → sign-in → me → refresh → sign-out through nginx', async (t) => {
  const s = await newCustomer('flow');
  const me = await api('GET', '/api/auth/me', { token: s.accessToken });
  t.equal(me.status, 200);
  t.equal(me.body.user.email, s.email);
  const refreshed = await api('POST', '/api/auth/refresh', { body: { refreshToken: s.refreshToken } });
  t.equal(refreshed.status, 200);
  t.not(refreshed.body.refreshToken, s.refreshToken);
  const out = await api('POST', '/api/auth/signout', { token: refreshed.body.accessToken });
  t.equal(out.status, 204);
  const after = await api('GET', '/api/auth/me', { token: refreshed.body.accessToken });
  t.equal(after.status, 401);
  t.equal(after.body.code, 'AUTH_SESSION_REVOKED');
  const dup = await api('POST', '/api/auth/signup', { body: { email: s.email, password: 'another good password', name: 'Dup' } });
  t.equal(dup.status, 409);
  const bad = await api('POST', '/api/auth/signup', { body: { email: uniqueEmail(), password: 'x' } });
  t.equal(bad.status, 400);
  t.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
});

t.test('nginx answers 429 with a problem body past the sign-in limit', async (t) => {
  const base = await startEdge(t, { gateway: '127.0.0.1:3000' });
  const statuses: number[] = [];
  let limited: Awaited<ReturnType<typeof api>> | undefined;
  for (let i = 0; i < 10; i++) {
    const res = await api('POST', '/api/auth/signin', { base, body: { email: uniqueEmail(), password: 'whatever password' } });
    statuses.push(res.status);
    if (res.status === 429) limited ??= res;
  }
  t.ok(statuses.slice(0, 6).every((s) => s === 401), `first 1+burst requests reach auth (${statuses.join(',')})`);
  t.ok(limited, 'then 429');
  t.match(limited?.body, { code: 'RATE_LIMITED', status: 429 });
  t.ok(limited?.headers['retry-after']);
});

t.test('gateway down → 502 problem from nginx', async (t) => {
  const base = await startEdge(t, { gateway: `127.0.0.1:${await freePort()}` });
  const res = await api('GET', '/api/auth/.well-known/jwks.json', { base });
  t.equal(res.status, 502);
  t.match(res.body, { code: 'EDGE_UPSTREAM_FAILED' });
});

t.test('stopped, unresolvable and slow upstreams → 502 / 503 / 504 through nginx and the gateway', async (t) => {
  // A second gateway whose upstreams are a closed port, an unresolvable host and a slow server.
  const slow = createServer((socket) => socket.on('data', () => {})); // accepts, never answers
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  t.teardown(() => slow.close());
  const gatewayPort = await freePort();
  const gateway: ChildProcess = spawn(process.execPath, ['src/server.ts'], {
    cwd: `${REPO_ROOT}/services/gateway`,
    env: {
      ...process.env,
      PORT: String(gatewayPort),
      LOG_LEVEL: 'warn',
      PAYMENTS_URL: `http://127.0.0.1:${await freePort()}`,
      ADMIN_URL: 'http://upstream.invalid:3003',
      PROFILE_URL: `http://127.0.0.1:${(slow.address() as { port: number }).port}`,
      UPSTREAM_TIMEOUT_MS: '500',
    },
    stdio: 'ignore',
  });
  t.teardown(() => gateway.kill('SIGTERM'));
  await waitFor(`http://127.0.0.1:${gatewayPort}/health/live`);
  const base = await startEdge(t, { gateway: `127.0.0.1:${gatewayPort}` });
  const { accessToken } = await newCustomer('mapping');

  const refused = await api('GET', '/api/payments', { base, token: accessToken });
  t.equal(refused.status, 502);
  t.equal(refused.body.code, 'GATEWAY_UPSTREAM_FAILED');
  const unresolvable = await api('GET', '/api/admin/health', { base, token: accessToken });
  t.equal(unresolvable.status, 503);
  t.equal(unresolvable.body.code, 'GATEWAY_UPSTREAM_UNAVAILABLE');
  const slowRes = await api('GET', '/api/profile/me', { base, token: accessToken });
  t.equal(slowRes.status, 504);
  t.equal(slowRes.body.code, 'GATEWAY_UPSTREAM_TIMEOUT');
});
