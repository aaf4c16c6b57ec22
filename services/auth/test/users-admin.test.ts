// User administration: ADMIN only; role changes and disabling with immediate revocation.
import t from 'tap';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn, uniqueEmail } from './helper.ts';

t.test('user administration', async (t) => {
  const adminEmail = uniqueEmail('admin');
  const app = await buildAuth(t, { SEED_DEMO_USERS: 'true', DEMO_ADMIN_EMAIL: adminEmail, DEMO_CUSTOMER_EMAIL: uniqueEmail('cust') });
  const admin = (
    await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: adminEmail, password: 'Admin!Passw0rd' } })
  ).json();
  t.equal(admin.user.role, 'ADMIN', 'seeded admin can sign in');
  const customer = await signUpAndIn(app);

  const forbidden = await app.inject({ url: '/auth/users', headers: bearer(customer.accessToken) });
  t.equal(forbidden.statusCode, 403);
  t.equal(forbidden.json().code, 'FORBIDDEN');

  const page1 = await app.inject({ url: '/auth/users?limit=2', headers: bearer(admin.accessToken) });
  t.equal(page1.statusCode, 200);
  t.equal(page1.json().items.length, 2);
  t.type(page1.json().nextCursor, 'string');
  const page2 = await app.inject({ url: `/auth/users?limit=2&cursor=${page1.json().nextCursor}`, headers: bearer(admin.accessToken) });
  t.equal(page2.json().items.length, 1);
  t.equal(page2.json().nextCursor, null);
  const ids = [...page1.json().items, ...page2.json().items].map((u: { id: string }) => u.id);
  t.equal(new Set(ids).size, 3, 'no overlap between pages');

  const search = await app.inject({ url: `/auth/users?q=${encodeURIComponent(customer.email.slice(0, 12))}`, headers: bearer(admin.accessToken) });
  t.same(search.json().items.map((u: { email: string }) => u.email), [customer.email]);
  t.equal((await app.inject({ url: '/auth/users?cursor=garbage', headers: bearer(admin.accessToken) })).json().code, 'INVALID_CURSOR');

  const promote = await app.inject({ method: 'PATCH', url: `/auth/users/${customer.user.id}`, headers: bearer(admin.accessToken), payload: { role: 'VENDOR' } });
  t.equal(promote.json().user.role, 'VENDOR');
  t.equal((await app.inject({ method: 'PATCH', url: `/auth/users/${customer.user.id}`, headers: bearer(admin.accessToken), payload: { role: 'KING' } })).statusCode, 400);
  t.equal((await app.inject({ method: 'PATCH', url: `/auth/users/${admin.user.id}`, headers: bearer(admin.accessToken), payload: { role: 'CUSTOMER' } })).statusCode, 409, 'no self-demotion');
  t.equal((await app.inject({ method: 'PATCH', url: '/auth/users/0191a1b2-0000-7000-8000-00000000abcd', headers: bearer(admin.accessToken), payload: { role: 'VENDOR' } })).statusCode, 404);

  const disable = await app.inject({ method: 'POST', url: `/auth/users/${customer.user.id}/disable`, headers: bearer(admin.accessToken) });
  t.equal(disable.statusCode, 200);
  t.match(disable.json(), { user: { status: 'disabled' }, revokedSessions: 1 });
  t.equal((await app.inject({ url: '/auth/me', headers: bearer(customer.accessToken) })).json().code, 'AUTH_SESSION_REVOKED');
  const blocked = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email: customer.email, password: PASSWORD } });
  t.equal(blocked.statusCode, 403);
  t.equal(blocked.json().code, 'AUTH_ACCOUNT_DISABLED');
});
