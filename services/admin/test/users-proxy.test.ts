// /admin/users against a REAL auth app listening on an ephemeral port: the admin verifies
// tokens with auth's JWKS and forwards the administrator's token; auth's answers (problems
// included) pass through unchanged; auth down → 502 problem.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createService } from '@bank/kit';
import { createTestDatabase, LOCAL_REDIS_URL } from '@bank/kit/testing';
import authApp from '@bank/auth-service/src/app.ts';
import { loadAuthConfig } from '@bank/auth-service/src/config.ts';
import { signingKeyFromPem } from '@bank/auth-service/src/domain/tokens.ts';
import { bearer, buildAdmin, CLOSED_URL } from './helper.ts';

async function startAuth(t: { teardown(fn: () => unknown): void }) {
  const db = await createTestDatabase('admin_auth');
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const tag = randomBytes(4).toString('hex');
  const adminEmail = `admin-${tag}@example.test`;
  const config = loadAuthConfig({
    DATABASE_URL: db.url,
    REDIS_URL: LOCAL_REDIS_URL,
    JWT_PRIVATE_KEY_FILE: '/unused-in-tests',
    EVENTS_PREFIX: `test.${tag}.`,
    SEED_DEMO_USERS: 'true',
    DEMO_ADMIN_EMAIL: adminEmail,
    DEMO_CUSTOMER_EMAIL: `customer-${tag}@example.test`,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
  });
  const auth = await createService({ name: 'auth', config, app: (f, o) => authApp(f, { ...o, signingKey: signingKeyFromPem(pem) }) });
  await auth.listen({ port: 0, host: '127.0.0.1' });
  t.teardown(async () => {
    await auth.close();
    await db.drop();
  });
  const url = `http://127.0.0.1:${(auth.server.address() as AddressInfo).port}`;
  const signIn = async (email: string, password: string) => {
    const res = await auth.inject({ method: 'POST', url: '/auth/signin', remoteAddress: `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`, payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`signin failed: ${res.body}`);
    return res.json() as { accessToken: string; user: { id: string; email: string } };
  };
  return { auth, url, adminEmail, signIn, customerEmail: `customer-${tag}@example.test` };
}

t.test('user management goes through auth', async (t) => {
  const real = await startAuth(t);
  const { app } = await buildAdmin(t, { AUTH_URL: real.url, AUTH_JWKS_URL: `${real.url}/auth/.well-known/jwks.json` }, { jwks: true });
  const admin = await real.signIn(real.adminEmail, 'Admin!Passw0rd');
  const customer = await real.signIn(real.customerEmail, 'Customer!Passw0rd');
  const asAdmin = bearer(admin.accessToken);

  t.equal((await app.inject({ url: '/admin/users', headers: bearer(customer.accessToken) })).statusCode, 403, 'a real CUSTOMER token is refused here');

  const list = await app.inject({ url: '/admin/users?limit=1', headers: asAdmin });
  t.equal(list.statusCode, 200, 'a real auth token verified through the JWKS');
  t.equal(list.json().items.length, 1);
  t.type(list.json().nextCursor, 'string');
  const next = await app.inject({ url: `/admin/users?limit=1&cursor=${list.json().nextCursor}`, headers: asAdmin });
  t.equal(next.json().items.length, 1, 'the cursor is passed through');
  const search = await app.inject({ url: `/admin/users?q=${encodeURIComponent(real.customerEmail)}`, headers: asAdmin });
  t.same(search.json().items.map((u: { email: string }) => u.email), [real.customerEmail], 'q is passed through');

  const promote = await app.inject({ method: 'PATCH', url: `/admin/users/${customer.user.id}`, headers: asAdmin, payload: { role: 'VENDOR' } });
  t.equal(promote.statusCode, 200);
  t.equal(promote.json().user.role, 'VENDOR', "auth's body, unchanged");

  const selfDemote = await app.inject({ method: 'PATCH', url: `/admin/users/${admin.user.id}`, headers: asAdmin, payload: { role: 'CUSTOMER' } });
  t.equal(selfDemote.statusCode, 409);
  t.equal(selfDemote.json().code, 'AUTH_CANNOT_CHANGE_SELF', "auth's problem passes through");
  t.match(selfDemote.headers['content-type'], /problem\+json/);
  const missing = await app.inject({ method: 'POST', url: '/admin/users/0191a1b2-0000-7000-8000-00000000abcd/disable', headers: asAdmin });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().code, 'AUTH_USER_NOT_FOUND');
  t.equal((await app.inject({ method: 'PATCH', url: `/admin/users/${customer.user.id}`, headers: asAdmin, payload: { role: 'KING' } })).statusCode, 400, 'validated here first');

  const revoke = await app.inject({ method: 'POST', url: `/admin/users/${customer.user.id}/revoke-sessions`, headers: asAdmin });
  t.same(revoke.json(), { revoked: 1 });
  const again = await real.signIn(real.customerEmail, 'Customer!Passw0rd');
  const disable = await app.inject({ method: 'POST', url: `/admin/users/${customer.user.id}/disable`, headers: asAdmin });
  t.equal(disable.statusCode, 200);
  t.match(disable.json(), { user: { status: 'disabled' }, revokedSessions: 1 });
  const me = await real.auth.inject({ url: '/auth/me', headers: bearer(again.accessToken) });
  t.equal(me.json().code, 'AUTH_SESSION_REVOKED', "auth revoked the disabled user's session");

  const enable = await app.inject({ method: 'POST', url: `/admin/users/${customer.user.id}/enable`, headers: asAdmin });
  t.equal(enable.statusCode, 200);
  t.match(enable.json(), { user: { status: 'active' } }, 're-enabled');
  const back = await real.signIn(real.customerEmail, 'Customer!Passw0rd');
  t.ok(back.accessToken, 'the re-enabled user signs in again');
});

t.test('auth unreachable → 502 problem', async (t) => {
  const { app, token } = await buildAdmin(t, { AUTH_URL: CLOSED_URL });
  const res = await app.inject({ url: '/admin/users', headers: bearer(token()) });
  t.equal(res.statusCode, 502);
  t.match(res.json(), { code: 'ADMIN_UPSTREAM_UNAVAILABLE', upstream: 'auth' });
});
