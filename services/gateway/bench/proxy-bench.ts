// Edge cost benchmark: the same upstream route (its own process) called directly (baseline)
// and through the gateway at its production configuration — log level (info), the signing key
// looked up in a JWKS by `kid`, the revocation check answered by the local copy kept current from
// auth's events (RabbitMQ), rate limit, proxy — in one run. A last phase runs a second gateway
// without the events, so every request asks Redis (the fallback path), for comparison.
// Bounded (BENCH_SECONDS per phase, default 10) and 127.0.0.1 only.
//
//   bash -c '. scripts/lib/node.sh; cd services/gateway && node bench/proxy-bench.ts'
import { execFile, fork } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { createSigner } from 'fast-jwt';
import { createService, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@bank/kit';
import { LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = 50;

// The signing key as auth publishes it: a JWK with a `kid`, served by the upstream process.
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench-key', alg: 'ES256', use: 'sig' };
const upstream = fork(new URL('./echo-upstream.ts', import.meta.url).pathname, [JSON.stringify(jwk)]);
const upstreamPort = await new Promise<number>((resolve) => upstream.once('message', (port) => resolve(Number(port))));
const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;

async function startGateway(env: Record<string, string>) {
  // The production configuration (LOG_LEVEL included: its default, info), except the rate limit:
  // one token makes every request, and the limiter costs the same whatever its maximum.
  const config = loadGatewayConfig({
    NODE_ENV: 'production',
    REDIS_URL: LOCAL_REDIS_URL,
    PAYMENTS_URL: upstreamUrl,
    AUTH_JWKS_URL: `${upstreamUrl}/auth/.well-known/jwks.json`,
    RATE_LIMIT_MAX: '100000000',
    WS_BRIDGE_ENABLED: 'false',
    ...env,
  });
  const gateway = await createService({ name: 'gateway-bench', config, app });
  await gateway.listen({ port: 0, host: '127.0.0.1' });
  return { gateway, url: `http://127.0.0.1:${(gateway.server.address() as { port: number }).port}` };
}

const { gateway, url: gatewayUrl } = await startGateway({});
// The local revocation copy becomes current once its queue is subscribed and Redis copied (~1 s).
const current = await Promise.race([gateway.revocations.current.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 15_000))]);
const sign = createSigner({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ES256', kid: 'bench-key', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, expiresIn: 10 * 60_000 });
const token = sign({ sub: '0191a1b2-0000-7000-8000-00000000b001', role: 'CUSTOMER', sid: '0191a1b2-0000-7000-8000-00000000b002' });

// The load generator runs in its own process (autocannon's CLI) so it does not share the event
// loop with the servers it measures. Its shell reports the CPU it used (cutime + cstime of /proc).
const exec = promisify(execFile);
interface Result { requests: { average: number; total: number }; latency: { p50: number; p99: number }; '2xx': number; non2xx: number; errors: number }
const TICK_US = 1e6 / 100; // /proc reports CPU in clock ticks of 10 ms
const procCpuUs = (pid: number, fields: [number, number]) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(stat[fields[0] - 3]) + Number(stat[fields[1] - 3])) * TICK_US;
};

async function run(title: string, url: string, headers: Record<string, string> = {}) {
  const args = ['-c', String(connections), '-d', String(seconds), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const autocannon = new URL(import.meta.resolve('autocannon/autocannon.js')).pathname;
  const gatewayBefore = process.cpuUsage();
  const upstreamBefore = procCpuUs(upstream.pid!, [14, 15]);
  // utime, stime of the upstream; cutime, cstime (fields 16, 17) of the shell = the load generator's.
  const { stdout, stderr } = await exec('sh', ['-c', `"$0" "$@"; cut -d' ' -f16,17 /proc/$$/stat >&2`, process.execPath, autocannon, ...args], { maxBuffer: 16 * 1024 * 1024 });
  const gatewayCpu = process.cpuUsage(gatewayBefore);
  const upstreamUs = procCpuUs(upstream.pid!, [14, 15]) - upstreamBefore;
  const [cu, cs] = stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  const result = JSON.parse(stdout) as Result;
  const n = Math.max(1, result.requests.total);
  const perRequest = (us: number) => (us / n).toFixed(0);
  console.log(
    `${title.padEnd(44)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  ` +
      `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  2xx ${result['2xx']}  non-2xx ${result.non2xx}  errors ${result.errors}  ` +
      `CPU µs/request: gateway process ${perRequest(gatewayCpu.user + gatewayCpu.system)}, upstream ${perRequest(upstreamUs)}, load generator ${perRequest((cu! + cs!) * TICK_US)}`,
  );
  return result.requests.average;
}

console.log(`proxy benchmark: ${connections} connections, ${seconds} s per phase, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`revocation check: ${current ? 'local copy (kept current from auth events)' : 'Redis per request (the local copy did not become current: is RabbitMQ up?)'}`);
const direct = await run('baseline: upstream directly', `${upstreamUrl}/payments/ping`);
const publicRoute = await run('gateway: public route (limit + proxy)', `${gatewayUrl}/api/payments/openapi.json`);
const viaGateway = await run('gateway: JWT + revocation + limit + proxy', `${gatewayUrl}/api/payments/ping`, { authorization: `Bearer ${token}` });
await gateway.close();
const fallback = await startGateway({ REVOCATION_EVENTS_ENABLED: 'false' });
const viaRedis = await run('gateway: same, revocation asked of Redis', `${fallback.url}/api/payments/ping`, { authorization: `Bearer ${token}` });
await fallback.gateway.close();
console.log(
  `ratio gateway / baseline: authenticated ${(viaGateway / direct).toFixed(2)}, public ${(publicRoute / direct).toFixed(2)}, ` +
    `authenticated with Redis per request ${(viaRedis / direct).toFixed(2)}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);

upstream.disconnect();
// Redis clients and undici pools may keep sockets open for a moment; the figures are printed.
process.exit(0);
