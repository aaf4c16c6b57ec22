// Authorisation matrix at the edge: every protected endpoint × (no token, customer, admin).
// Expected: no token → 401 at the gateway; a customer → 403 on admin endpoints (UI and API);
// admin endpoints answer an admin. Another customer's payment → 404 (no IDOR).
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { adminSession, api, newCustomer } from './helper.ts';

const anyId = '0191a1b2-0000-7000-8000-000000000000';
const adminEndpoints: Array<[string, string, unknown?]> = [
  ['GET', '/api/admin/dashboard'],
  ['GET', '/api/admin/audit'],
  ['GET', '/api/admin/users'],
  ['PATCH', `/api/admin/users/${anyId}`, { role: 'VENDOR' }],
  ['POST', `/api/admin/users/${anyId}/disable`, {}],
  ['GET', '/api/admin/config'],
  ['PUT', '/api/admin/config/feature.demo', { value: true }],
  ['GET', '/api/admin/health'],
  ['GET', '/api/admin/dead-letters?queue=payments'],
  ['POST', '/api/admin/dead-letters/replay', { queue: 'payments' }],
  ['POST', '/api/admin/events/replay', { type: 'auth.user.registered', from: new Date(0).toISOString(), to: new Date().toISOString(), target: 'profile' }],
  ['GET', '/api/auth/users'],
  ['GET', '/api/payments/stats'],
];
const userEndpoints: Array<[string, string, unknown?]> = [
  ['GET', '/api/auth/me'],
  ['GET', '/api/auth/sessions'],
  ['POST', '/api/auth/sessions/revoke-others', {}],
  ['POST', '/api/auth/ws-ticket', {}],
  ['GET', '/api/payments'],
  ['GET', `/api/payments/${anyId}`],
  ['POST', `/api/payments/${anyId}/cancel`, {}],
  ['GET', '/api/profile/me'],
  ['PATCH', '/api/profile/me', { bio: 'x' }],
];

t.test('no token → 401 everywhere but the public routes', async (t) => {
  for (const [method, path, body] of [...adminEndpoints, ...userEndpoints, ['POST', '/api/payments', {}] as [string, string, unknown]]) {
    const res = await api(method, path, { body });
    t.equal(res.status, 401, `${method} ${path}`);
  }
});

t.test('a customer is refused every admin endpoint; an admin is not', async (t) => {
  const customer = await newCustomer('authz');
  const admin = await adminSession();
  for (const [method, path, body] of adminEndpoints) {
    const asCustomer = await api(method, path, { token: customer.accessToken, body });
    t.equal(asCustomer.status, 403, `customer: ${method} ${path}`);
    t.equal(asCustomer.body?.code, 'FORBIDDEN');
    const asAdmin = await api(method, path, { token: admin.accessToken, body });
    t.not(asAdmin.status, 403, `admin: ${method} ${path} → ${asAdmin.status}`);
    t.ok(asAdmin.status < 500, `admin: ${method} ${path} is not a server error (${asAdmin.status})`);
  }
});

t.test('payments are visible to their parties only', async (t) => {
  const [owner, other] = [await newCustomer('owner'), await newCustomer('other')];
  const admin = await adminSession();
  const res = await api('POST', '/api/payments', {
    token: owner.accessToken,
    headers: { 'idempotency-key': randomUUID() },
    body: { recipientEmail: 'customer@bank.local', amount: 500, currency: 'USD', type: 'instant', description: 'authz' },
  });
  t.equal(res.status, 201, res.text);
  const id = (res.body.payment ?? res.body).id;
  t.equal((await api('GET', `/api/payments/${id}`, { token: owner.accessToken })).status, 200);
  t.equal((await api('GET', `/api/payments/${id}`, { token: other.accessToken })).status, 404);
  t.equal((await api('POST', `/api/payments/${id}/cancel`, { token: other.accessToken, body: {} })).status, 404);
  t.equal((await api('GET', `/api/payments/${id}`, { token: admin.accessToken })).status, 200, 'admins see all');
  const list = await api('GET', '/api/payments?limit=100', { token: other.accessToken });
  t.notOk((list.body.items ?? []).some((p: { id: string }) => p.id === id), 'not in the other customer\'s list');
});
