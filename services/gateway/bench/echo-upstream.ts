// The upstream of proxy-bench.ts, in its own process so the gateway's numbers are its own. It also
// serves the JWK set (argv[2]) the way auth does, so the gateway finds its key as in production.
import Fastify from 'fastify';

const body = { ok: true, items: [{ id: 'x', amount: 1250, currency: 'EUR' }] };
const upstream = Fastify({ logger: false });
upstream.get('/payments/ping', async () => body);
// A public path (no token needed at the edge) isolates the proxy + rate-limit cost from the JWT cost.
upstream.get('/payments/openapi.json', async () => body);
const jwks = { keys: [JSON.parse(process.argv[2] ?? '{}') as object] };
upstream.get('/auth/.well-known/jwks.json', async () => jwks);
await upstream.listen({ port: 0, host: '127.0.0.1' });
process.send?.((upstream.server.address() as { port: number }).port);
process.on('disconnect', () => void upstream.close().then(() => process.exit(0)));
