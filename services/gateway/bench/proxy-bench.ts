// Edge cost benchmark: the same upstream route (its own process) called directly (baseline)
// and through the gateway (ES256 verification + Redis revocation check + rate limit + proxy), in one run.
// Bounded (BENCH_SECONDS per phase, default 10) and 127.0.0.1 only.
//
//   bash -c '. scripts/lib/node.sh; cd services/gateway && node bench/proxy-bench.ts'
import { execFile, fork } from 'node:child_process';
import { promisify } from 'node:util';
import { createService } from '@bank/kit';
import { createTestKeys, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';

const seconds = Number(process.argv[2] ?? 10);
const connections = 50;

const upstream = fork(new URL('./echo-upstream.ts', import.meta.url).pathname);
const upstreamPort = await new Promise<number>((resolve) => upstream.once('message', (port) => resolve(Number(port))));
const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;

const keys = createTestKeys();
// The production configuration (LOG_LEVEL included: its default, info), except the rate limit:
// one token makes every request, and the limiter costs the same whatever its maximum.
const config = loadGatewayConfig({
  NODE_ENV: 'production',
  REDIS_URL: LOCAL_REDIS_URL,
  PAYMENTS_URL: upstreamUrl,
  RATE_LIMIT_MAX: '100000000',
  WS_BRIDGE_ENABLED: 'false',
});
const gateway = await createService({ name: 'gateway-bench', config, app: (f, o) => app(f, { ...o, publicKey: keys.publicKey }) });
await gateway.listen({ port: 0, host: '127.0.0.1' });
const gatewayUrl = `http://127.0.0.1:${(gateway.server.address() as { port: number }).port}`;
const token = keys.sign({ sub: '0191a1b2-0000-7000-8000-00000000b001', role: 'CUSTOMER', sid: '0191a1b2-0000-7000-8000-00000000b002' });

// The load generator runs in its own process (autocannon's CLI) so it does not share the event
// loop with the servers it measures.
const exec = promisify(execFile);
interface Result { requests: { average: number }; latency: { p50: number; p99: number }; '2xx': number; non2xx: number; errors: number }

async function run(title: string, url: string, headers: Record<string, string> = {}) {
  const args = ['-c', String(connections), '-d', String(seconds), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const { stdout } = await exec(process.execPath, [new URL(import.meta.resolve('autocannon/autocannon.js')).pathname, ...args], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as Result;
  const ok = result['2xx'];
  console.log(
    `${title.padEnd(34)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  ` +
      `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  2xx ${ok}  non-2xx ${result.non2xx}  errors ${result.errors}`,
  );
  return result.requests.average;
}

console.log(`proxy benchmark: ${connections} connections, ${seconds} s per phase, node ${process.version}`);
const direct = await run('baseline: upstream directly', `${upstreamUrl}/payments/ping`);
await run('gateway: public route (limit + proxy)', `${gatewayUrl}/api/payments/openapi.json`);
const viaGateway = await run('gateway: JWT + revocation + limit', `${gatewayUrl}/api/payments/ping`, { authorization: `Bearer ${token}` });
console.log(`ratio gateway / baseline: ${(viaGateway / direct).toFixed(2)}`);

await gateway.close();
upstream.disconnect();
// Redis clients and undici pools may keep sockets open for a moment; the figures are printed.
process.exit(0);
