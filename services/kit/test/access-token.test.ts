import t from 'tap';
import { createService, accessToken, createRedis, currentRoleKey, revokedSessionKey } from '../src/index.ts';
import { createTestKeys, LOCAL_REDIS_URL } from '../src/testing.ts';

const keys = createTestKeys();
const other = createTestKeys();
const claims = { sub: '0191a1b2-0000-7000-8000-000000000001', role: 'CUSTOMER' as const, sid: `sid-${Date.now()}` };

t.test('verifies ES256 tokens, rejects others, honours revocation and roles', async (t) => {
  const redis = createRedis(LOCAL_REDIS_URL, 'kit-test');
  t.teardown(() => redis.quit());
  const svc = await createService({
    name: 'kit-test',
    config: { LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    app: async (app) => {
      await app.register(accessToken, { publicKey: keys.publicKey, redis });
      app.get('/me', { onRequest: [app.authenticate] }, async (req) => req.user);
      app.get('/admin', { onRequest: [app.authenticate, app.requireRole('ADMIN')] }, async () => ({ ok: true }));
    },
  });
  t.teardown(() => svc.close());
  const call = (url: string, token?: string) =>
    svc.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  const ok = await call('/me', keys.sign(claims));
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), claims);

  t.equal((await call('/me')).json().code, 'UNAUTHORIZED');
  t.equal((await call('/me', other.sign(claims))).statusCode, 401, 'signed by another key');
  const expired = await call('/me', keys.sign(claims, { expiresInMs: 1 }).toString());
  t.equal(expired.statusCode, 401);
  // alg=none forgery
  const [, payload] = keys.sign(claims).split('.');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
  t.equal((await call('/me', none)).statusCode, 401, 'alg none rejected');

  t.equal((await call('/admin', keys.sign(claims))).statusCode, 403);
  t.equal((await call('/admin', keys.sign({ ...claims, role: 'ADMIN' }))).statusCode, 200);

  // The user was demoted: tokens carrying another role than the marker are stale everywhere.
  await redis.set(currentRoleKey(claims.sub), 'CUSTOMER', 'EX', 60);
  t.teardown(() => redis.del(currentRoleKey(claims.sub)));
  const demoted = await call('/admin', keys.sign({ ...claims, role: 'ADMIN' }));
  t.equal(demoted.statusCode, 401);
  t.equal(demoted.json().code, 'AUTH_ROLE_CHANGED');
  t.equal((await call('/me', keys.sign({ ...claims, role: 'ADMIN' }))).json().code, 'AUTH_ROLE_CHANGED', 'not only on role-guarded routes');
  t.equal((await call('/me', keys.sign(claims))).statusCode, 200, 'the current role passes');

  await redis.set(revokedSessionKey(claims.sid), '1', 'EX', 60);
  t.teardown(() => redis.del(revokedSessionKey(claims.sid)));
  const revoked = await call('/me', keys.sign(claims));
  t.equal(revoked.statusCode, 401);
  t.equal(revoked.json().code, 'AUTH_SESSION_REVOKED');
});
