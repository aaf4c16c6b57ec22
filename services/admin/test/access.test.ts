// Every admin endpoint: 401 without a token (or with a revoked session), 403 for a CUSTOMER.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { revokedSessionKey } from '@bank/kit';
import { bearer, buildAdmin } from './helper.ts';

const id = randomUUID();
const ENDPOINTS: Array<{ method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; payload?: object }> = [
  { method: 'GET', url: '/admin/dashboard' },
  { method: 'GET', url: '/admin/audit' },
  { method: 'GET', url: '/admin/config' },
  { method: 'PUT', url: '/admin/config/some.key', payload: { value: 1 } },
  { method: 'GET', url: '/admin/config/some.key/history' },
  { method: 'GET', url: '/admin/users' },
  { method: 'PATCH', url: `/admin/users/${id}`, payload: { role: 'VENDOR' } },
  { method: 'POST', url: `/admin/users/${id}/disable` },
  { method: 'POST', url: `/admin/users/${id}/revoke-sessions` },
  { method: 'GET', url: '/admin/health' },
  { method: 'GET', url: '/admin/dead-letters?queue=payments' },
  { method: 'POST', url: '/admin/dead-letters/replay', payload: { queue: 'payments' } },
  { method: 'GET', url: '/admin/analytics/summary' },
  { method: 'POST', url: '/admin/events/replay', payload: { type: 'auth.user.registered', from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', target: 'profile' } },
];

t.test('admin endpoints are ADMIN only', async (t) => {
  const { app, token } = await buildAdmin(t);
  const customer = bearer(token({ role: 'CUSTOMER' }));
  const vendor = bearer(token({ role: 'VENDOR' }));
  const sid = randomUUID();
  await app.redis.set(revokedSessionKey(sid), '1', 'EX', 60);
  const revokedAdmin = bearer(token({ role: 'ADMIN', sid }));
  for (const endpoint of ENDPOINTS) {
    const label = `${endpoint.method} ${endpoint.url}`;
    const anonymous = await app.inject({ ...endpoint });
    t.equal(anonymous.statusCode, 401, `${label} without a token`);
    t.equal(anonymous.json().code, 'UNAUTHORIZED');
    const forbidden = await app.inject({ ...endpoint, headers: customer });
    t.equal(forbidden.statusCode, 403, `${label} as CUSTOMER`);
    t.equal(forbidden.json().code, 'FORBIDDEN');
    t.equal((await app.inject({ ...endpoint, headers: vendor })).statusCode, 403, `${label} as VENDOR`);
    t.equal((await app.inject({ ...endpoint, headers: revokedAdmin })).json().code, 'AUTH_SESSION_REVOKED', `${label} with a revoked session`);
  }
  t.equal(ENDPOINTS.length, 14, 'every ADMIN endpoint of the service is listed (POST /admin/analytics is open to any user: test/analytics.test.ts)');
});
