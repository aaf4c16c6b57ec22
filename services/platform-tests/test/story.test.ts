// The product story across every service, through nginx: a customer signs up → the profile
// exists (auth.user.registered → profile) → pays another customer → the simulated processor
// completes it, or fails it on purpose → the admin sees every event in the audit log.
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { adminSession, api, eventually, newCustomer } from './helper.ts';

t.test('sign-up → profile → payment → final status → audit log', async (t) => {
  const alice = await newCustomer('alice');
  const bob = await newCustomer('bob');

  const profile = await eventually(async () => {
    const res = await api('GET', '/api/profile/me', { token: alice.accessToken });
    return res.status === 200 ? res.body : undefined;
  });
  t.equal(profile.userId ?? profile.profile?.userId, alice.user.id, 'profile created from the registration event');

  // payments learns about bob from auth events too; retry until the replica has him
  const key = randomUUID();
  const body = { recipientEmail: bob.email, amount: 1250, currency: 'EUR', type: 'instant', description: 'Lunch' };
  const created = await eventually(async () => {
    const res = await api('POST', '/api/payments', { token: alice.accessToken, body, headers: { 'idempotency-key': key } });
    return res.status === 201 ? res : undefined;
  });
  const payment = created.body.payment ?? created.body;
  t.match(payment, { amount: 1250, currency: 'EUR', status: 'pending', senderId: alice.user.id, recipientId: bob.user.id });

  const replay = await api('POST', '/api/payments', { token: alice.accessToken, body, headers: { 'idempotency-key': key } });
  t.equal(replay.status, 201, 'same key + same body → the original response');
  t.equal((replay.body.payment ?? replay.body).id, payment.id);
  const conflict = await api('POST', '/api/payments', { token: alice.accessToken, body: { ...body, amount: 999 }, headers: { 'idempotency-key': key } });
  t.equal(conflict.status, 422, 'same key + different body → 422');

  const final = await eventually(async () => {
    const res = await api('GET', `/api/payments/${payment.id}`, { token: alice.accessToken });
    const p = res.body.payment ?? res.body;
    return ['completed', 'failed'].includes(p.status) ? p : undefined;
  }, 30_000);
  t.equal(final.status, 'completed');
  const timeline = (final.transactions ?? []).map((x: { toStatus: string }) => x.toStatus);
  t.same(timeline.slice(-3), ['pending', 'processing', 'completed'].slice(-timeline.slice(-3).length), `status timeline ${timeline.join(' → ')}`);

  const bobSees = await api('GET', `/api/payments/${payment.id}`, { token: bob.accessToken });
  t.equal(bobSees.status, 200, 'the recipient sees it');
  const carol = await newCustomer('carol');
  const carolSees = await api('GET', `/api/payments/${payment.id}`, { token: carol.accessToken });
  t.equal(carolSees.status, 404, 'another customer gets 404, not 403 (no existence leak)');

  const failing = await api('POST', '/api/payments', {
    token: alice.accessToken,
    body: { ...body, description: 'please FAIL this one' },
    headers: { 'idempotency-key': randomUUID() },
  });
  t.equal(failing.status, 201);
  const failed = await eventually(async () => {
    const res = await api('GET', `/api/payments/${(failing.body.payment ?? failing.body).id}`, { token: alice.accessToken });
    const p = res.body.payment ?? res.body;
    return ['completed', 'failed'].includes(p.status) ? p : undefined;
  }, 30_000);
  t.equal(failed.status, 'failed');
  t.ok(failed.failureReason, 'with a reason');

  const admin = await adminSession();
  const audit = await eventually(async () => {
    const res = await api('GET', `/api/admin/audit?userId=${alice.user.id}&limit=100`, { token: admin.accessToken });
    const types = new Set((res.body.items ?? []).map((e: { type: string }) => e.type));
    return ['auth.user.registered', 'auth.user.login', 'payments.payment.created', 'payments.payment.completed', 'payments.payment.failed'].every((x) => types.has(x)) ? types : undefined;
  }, 30_000);
  t.ok(audit.has('auth.session.created'), 'the admin sees every event of the story');

  const forbidden = await api('GET', '/api/admin/audit', { token: alice.accessToken });
  t.equal(forbidden.status, 403, 'a customer cannot read the audit log');
});
