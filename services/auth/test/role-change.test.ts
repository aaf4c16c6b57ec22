// A role change takes effect on the next request: access tokens carrying the old role are refused
// (401 AUTH_ROLE_CHANGED) by the kit's authenticate, the session lives on and a refresh mints the
// new role; re-enabling a disabled account.
import t from 'tap';
import { currentRoleKey } from '@bank/kit';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn, uniqueEmail } from './helper.ts';

async function withAdmin(t: Parameters<typeof buildAuth>[0]) {
  const adminEmail = uniqueEmail('admin');
  const app = await buildAuth(t, { SEED_DEMO_USERS: 'true', DEMO_ADMIN_EMAIL: adminEmail, DEMO_CUSTOMER_EMAIL: uniqueEmail('cust') });
  const admin = (await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: adminEmail, password: 'Admin!Passw0rd' } })).json();
  return { app, admin };
}

t.test('demotion: the old token is refused at once, a refresh carries the new role', async (t) => {
  const { app, admin } = await withAdmin(t);
  const other = await signUpAndIn(app);
  const promote = await app.inject({ method: 'PATCH', url: `/auth/users/${other.user.id}`, headers: bearer(admin.accessToken), payload: { role: 'ADMIN' } });
  t.equal(promote.statusCode, 200);
  t.equal((await app.inject({ url: '/auth/users', headers: bearer(other.accessToken) })).json().code, 'AUTH_ROLE_CHANGED', 'the CUSTOMER token is stale after a promotion');
  const asAdmin = (await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: other.refreshToken } })).json();
  t.equal(asAdmin.user.role, 'ADMIN');
  t.equal((await app.inject({ url: '/auth/users', headers: bearer(asAdmin.accessToken) })).statusCode, 200, 'the new admin token works');

  const demotedAt = Date.now();
  const demote = await app.inject({ method: 'PATCH', url: `/auth/users/${other.user.id}`, headers: bearer(admin.accessToken), payload: { role: 'CUSTOMER' } });
  t.equal(demote.statusCode, 200);
  const refused = await app.inject({ url: '/auth/users', headers: bearer(asAdmin.accessToken) });
  const latency = Date.now() - demotedAt;
  t.equal(refused.statusCode, 401);
  t.equal(refused.json().code, 'AUTH_ROLE_CHANGED');
  t.ok(latency < 1_000, `refused ${latency} ms after the demotion was answered`);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(asAdmin.accessToken) })).json().code, 'AUTH_ROLE_CHANGED', 'everywhere, not only admin routes');
  t.equal(await app.redis.get(currentRoleKey(other.user.id)), 'CUSTOMER');
  t.ok((await app.redis.ttl(currentRoleKey(other.user.id))) > 600, 'kept for a token lifetime');

  const back = (await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: asAdmin.refreshToken } })).json();
  t.equal(back.user.role, 'CUSTOMER', 'the session survives; refresh mints the new role');
  t.equal((await app.inject({ url: '/auth/users', headers: bearer(back.accessToken) })).statusCode, 403);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(back.accessToken) })).statusCode, 200);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(admin.accessToken) })).statusCode, 200, "other users' tokens are untouched");

  const [row] = await app.sql<{ payload: { data: { role: string } } }[]>`
    select payload from outbox where event_type = 'auth.user.updated' order by id desc limit 1`;
  t.equal(row?.payload.data.role, 'CUSTOMER', 'auth.user.updated (what the gateway moves sockets on) is in the outbox');
});

t.test('a disabled user can be enabled again and signs in anew', async (t) => {
  const { app, admin } = await withAdmin(t);
  const user = await signUpAndIn(app);
  await app.inject({ method: 'POST', url: `/auth/users/${user.user.id}/disable`, headers: bearer(admin.accessToken) });
  const signIn = () => app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: user.email, password: PASSWORD } });
  t.equal((await signIn()).statusCode, 403);
  const forbidden = await app.inject({ method: 'POST', url: `/auth/users/${user.user.id}/enable`, headers: bearer(user.accessToken) });
  t.equal(forbidden.statusCode, 401, 'not by the user (their session is revoked)');
  const enable = await app.inject({ method: 'POST', url: `/auth/users/${user.user.id}/enable`, headers: bearer(admin.accessToken) });
  t.equal(enable.statusCode, 200);
  t.equal(enable.json().user.status, 'active');
  t.equal((await signIn()).statusCode, 200);
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(user.accessToken) })).json().code, 'AUTH_SESSION_REVOKED', 'old sessions stay revoked');
  const missing = await app.inject({ method: 'POST', url: '/auth/users/0191a1b2-0000-7000-8000-00000000abcd/enable', headers: bearer(admin.accessToken) });
  t.equal(missing.statusCode, 404);
});
