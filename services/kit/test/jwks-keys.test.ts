// Keys from a JWKS: the token verifies end to end through the access-token plugin, the JWK set is
// fetched once, and the conversion is done once per key (the same PEM string comes back).
import { generateKeyPairSync } from 'node:crypto';
import Fastify from 'fastify';
import { createSigner } from 'fast-jwt';
import t from 'tap';
import { accessToken, createService, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../src/index.ts';
import { jwksPublicKeys } from '../src/jwks-keys.ts';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'ES256', use: 'sig' };
const sign = (claims: object, kid = 'key-1') =>
  createSigner({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'ES256', kid, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, expiresIn: 60_000 })({ ...claims });

async function jwksServer(t: { teardown(fn: () => unknown): void }) {
  const server = Fastify();
  let fetches = 0;
  server.get('/auth/.well-known/jwks.json', async () => {
    fetches++;
    return { keys: [jwk] };
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(() => server.close());
  const { port } = server.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/auth/.well-known/jwks.json`, fetches: () => fetches };
}

t.test('the JWK is fetched once and converted once; an unknown kid is refused', async (t) => {
  const jwks = await jwksServer(t);
  const keyOf = jwksPublicKeys(jwks.url);
  const first = await keyOf({ kid: 'key-1', alg: 'ES256' });
  t.match(first, /^-----BEGIN PUBLIC KEY-----/);
  t.equal(first, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'the same key as the JWK');
  for (let i = 0; i < 5; i++) t.equal(await keyOf({ kid: 'key-1' }), first);
  t.equal(jwks.fetches(), 1, 'one fetch of the JWK set');
  await t.rejects(keyOf({ kid: 'no-such-key' }), 'unknown kid');
});

t.test('tokens verify with the key found by kid', async (t) => {
  const jwks = await jwksServer(t);
  const svc = await createService({
    name: 'kit-jwks-test',
    config: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    app: async (app) => {
      await app.register(accessToken, { jwksUrl: jwks.url });
      app.get('/me', { onRequest: [app.authenticate] }, async (req) => req.user);
    },
  });
  t.teardown(() => svc.close());
  const claims = { sub: '0191a1b2-0000-7000-8000-000000000009', role: 'CUSTOMER', sid: 'sid-jwks' };
  for (let i = 0; i < 3; i++) {
    const res = await svc.inject({ url: '/me', headers: { authorization: `Bearer ${sign(claims)}` } });
    t.equal(res.statusCode, 200);
    t.match(res.json(), claims);
  }
  t.equal((await svc.inject({ url: '/me', headers: { authorization: `Bearer ${sign(claims, 'key-2')}` } })).statusCode, 401, 'unknown kid → 401');
  t.equal(jwks.fetches(), 2, 'the set was fetched for key-1 once, and once more for the unknown key-2');
});
