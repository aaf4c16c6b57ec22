// Who may see and do what: owner, recipient, other customer, vendor, admin, no token, bad and
// revoked tokens. Another user's payment is indistinguishable from a missing one (404).
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { revokedSessionKey } from '@bank/kit';
import { createTestKeys } from '@bank/kit/testing';
import { buildPayments, idem, pay, registerUser, tokenUser } from './helper.ts';

t.test('authorisation matrix', async (t) => {
  const app = await buildPayments(t);
  const owner = await registerUser(app, 'CUSTOMER', 'owner');
  const recipient = await registerUser(app, 'CUSTOMER', 'recipient');
  const stranger = await registerUser(app, 'CUSTOMER', 'stranger');
  const vendor = await registerUser(app, 'VENDOR', 'vendor');
  const admin = await registerUser(app, 'ADMIN', 'admin');
  const payment = await pay(app, owner, recipient);
  const strangerPayment = await pay(app, stranger, vendor, { amount: 999 });

  t.test('GET /payments/:id', async (t) => {
    const get = (headers: Record<string, string>) => app.inject({ url: `/payments/${payment.id}`, headers });
    t.equal((await get(owner.headers)).statusCode, 200, 'owner');
    t.equal((await get(recipient.headers)).statusCode, 200, 'recipient');
    t.equal((await get(admin.headers)).statusCode, 200, 'admin');
    const hidden = await get(stranger.headers);
    const missing = await app.inject({ url: `/payments/${randomUUID()}`, headers: stranger.headers });
    t.equal(hidden.statusCode, 404, 'other customer');
    t.equal((await get(vendor.headers)).statusCode, 404, 'vendor like a customer');
    const strip = (b: Record<string, unknown>) => ({ ...b, requestId: undefined });
    t.same(strip(hidden.json()), strip(missing.json()), 'same body as a missing payment: no existence leak');
    t.equal((await get({})).statusCode, 401, 'no token');
    t.equal((await get({ authorization: 'Bearer nonsense' })).statusCode, 401, 'garbage token');
    const foreign = createTestKeys().sign({ sub: owner.id, role: 'ADMIN', sid: randomUUID() });
    t.equal((await get({ authorization: `Bearer ${foreign}` })).statusCode, 401, 'token signed by another key');
    const expired = tokenUser(owner.id, owner.email, 'CUSTOMER');
    const { keys } = await import('./helper.ts');
    const expiredToken = keys.sign({ sub: owner.id, role: 'CUSTOMER', sid: expired.sid }, { expiresInMs: 1 });
    await new Promise((r) => setTimeout(r, 1_100));
    const res = await get({ authorization: `Bearer ${expiredToken}` });
    t.equal(res.statusCode, 401, 'expired token');
    t.equal(res.json().code, 'UNAUTHORIZED');
  });

  t.test('revoked session → 401 AUTH_SESSION_REVOKED on every route', async (t) => {
    const revoked = tokenUser(owner.id, owner.email, 'CUSTOMER');
    t.equal((await app.inject({ url: '/payments', headers: revoked.headers })).statusCode, 200, 'valid before revocation');
    await app.redis.set(revokedSessionKey(revoked.sid), '1', 'EX', 60);
    t.teardown(() => app.redis.del(revokedSessionKey(revoked.sid)));
    for (const [method, url] of [['GET', '/payments'], ['GET', `/payments/${payment.id}`], ['POST', `/payments/${payment.id}/cancel`], ['POST', '/payments']] as const) {
      const res = await app.inject({ method, url, headers: { ...revoked.headers, ...idem() }, ...(method === 'POST' && url === '/payments' ? { payload: { recipientId: recipient.id, amount: 1, currency: 'EUR', type: 'instant' } } : {}) });
      t.equal(res.statusCode, 401, `${method} ${url}`);
      t.equal(res.json().code, 'AUTH_SESSION_REVOKED');
    }
  });

  t.test('GET /payments lists only own payments; admin sees all', async (t) => {
    const ids = async (user: { headers: Record<string, string> }) => ((await app.inject({ url: '/payments', headers: user.headers })).json().items as Array<{ id: string }>).map((p) => p.id);
    t.same(await ids(owner), [payment.id]);
    t.same(await ids(recipient), [payment.id]);
    t.same(await ids(stranger), [strangerPayment.id]);
    t.same(await ids(vendor), [strangerPayment.id], 'vendor sees what it received');
    t.same((await ids(admin)).sort(), [payment.id, strangerPayment.id].sort());
    t.equal((await app.inject({ url: '/payments' })).statusCode, 401);
  });

  t.test('GET /payments/stats is ADMIN only', async (t) => {
    for (const user of [owner, vendor]) t.equal((await app.inject({ url: '/payments/stats', headers: user.headers })).statusCode, 403);
    t.equal((await app.inject({ url: '/payments/stats' })).statusCode, 401);
    const stats = await app.inject({ url: '/payments/stats', headers: admin.headers });
    t.equal(stats.statusCode, 200);
    t.same(stats.json(), {
      byStatus: [{ status: 'pending', count: 2 }],
      byCurrency: [{ currency: 'EUR', count: 2, amount: String(1050 + 999), completedAmount: '0', completedCount: 0 }],
    });
  });

  t.test('POST /payments/:id/cancel: sender or admin; recipient 403; stranger 404', async (t) => {
    const p1 = await pay(app, owner, recipient);
    const stranger404 = await app.inject({ method: 'POST', url: `/payments/${p1.id}/cancel`, headers: stranger.headers });
    t.equal(stranger404.statusCode, 404);
    const recipient403 = await app.inject({ method: 'POST', url: `/payments/${p1.id}/cancel`, headers: recipient.headers });
    t.equal(recipient403.statusCode, 403);
    t.equal(recipient403.json().code, 'PAYMENTS_FORBIDDEN');
    t.equal((await app.inject({ method: 'POST', url: `/payments/${p1.id}/cancel` })).statusCode, 401);
    const byOwner = await app.inject({ method: 'POST', url: `/payments/${p1.id}/cancel`, headers: owner.headers });
    t.equal(byOwner.statusCode, 200);
    const p2 = await pay(app, owner, recipient);
    const byAdmin = await app.inject({ method: 'POST', url: `/payments/${p2.id}/cancel`, headers: admin.headers });
    t.equal(byAdmin.statusCode, 200);
    const detail = (await app.inject({ url: `/payments/${p2.id}`, headers: owner.headers })).json();
    t.equal(detail.transactions.at(-1).reason, 'cancelled by an administrator');
  });

  t.test('POST /payments without a token → 401', async (t) => {
    const res = await app.inject({ method: 'POST', url: '/payments', headers: idem(), payload: { recipientId: recipient.id, amount: 1, currency: 'EUR', type: 'instant' } });
    t.equal(res.statusCode, 401);
  });
});
