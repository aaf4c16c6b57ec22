import t from 'tap';
import { randomUUID } from 'node:crypto';
import { assertValidEvent, causedBy, checkEvent, createEvent, InvalidEventError } from '../src/envelope.ts';
import { aggregateOf } from '../src/outbox.ts';
import { catalogue } from '../src/contracts.ts';
import { paymentCreated, userRegistered } from './helpers/events.ts';

t.test('createEvent fills id (UUID v7), version, occurredAt, correlation', async (t) => {
  const event = userRegistered();
  t.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.equal(event.version, 1);
  t.equal(event.correlationId, event.id);
  t.equal(event.causationId, null);
  t.ok(Date.parse(event.occurredAt) <= Date.now());
  t.same(checkEvent(event), { ok: true, event });
  const second = userRegistered();
  t.ok(second.id > event.id, 'v7 ids sort by creation');
});

t.test('causedBy keeps the correlation and records the cause', async (t) => {
  const cause = userRegistered();
  const effect = causedBy(cause, { type: 'profile.profile.updated', source: 'profile', data: { userId: cause.data.userId, fields: ['displayName'] } });
  t.equal(effect.correlationId, cause.correlationId);
  t.equal(effect.causationId, cause.id);
});

t.test('envelope validation', async (t) => {
  const event = paymentCreated();
  t.match(checkEvent({ ...event, id: randomUUID() }), { ok: false, reason: 'schema-invalid', detail: /\/id/ }, 'v4 id refused');
  t.match(checkEvent({ ...event, source: 'gateway' }), { ok: false, reason: 'schema-invalid' });
  t.match(checkEvent({ ...event, occurredAt: 'yesterday' }), { ok: false, detail: /occurredAt/ });
  t.match(checkEvent({ ...event, extra: true }), { ok: false });
  t.match(checkEvent({ ...event, version: 9 }), { ok: false, reason: 'unknown-type' });
  t.match(checkEvent('nope'), { ok: false, reason: 'schema-invalid' });
  t.throws(() => assertValidEvent({ ...event, data: { ...event.data, amount: -1 } }), InvalidEventError);
  try {
    assertValidEvent({ ...event, data: {} });
  } catch (error) {
    t.equal((error as InvalidEventError).code, 'EVENTS_INVALID_EVENT');
  }
});

t.test('aggregate of an event: the key its type declares in the contracts', async (t) => {
  const payment = paymentCreated('0190b8e0-0000-7000-8000-000000000001');
  t.same(aggregateOf(payment), { aggregateType: 'payment', aggregateId: '0190b8e0-0000-7000-8000-000000000001' });
  const user = userRegistered('0190b8e0-0000-7000-8000-000000000002');
  t.same(aggregateOf(user), { aggregateType: 'user', aggregateId: '0190b8e0-0000-7000-8000-000000000002' });
  const config = createEvent({ type: 'admin.config.updated', source: 'admin', data: { key: 'fees', version: 2, updatedBy: user.data.userId, userId: user.data.userId } });
  t.same(aggregateOf(config), { aggregateType: 'config', aggregateId: 'fees' }, 'config events are ordered per key, not per the admin who changed it');
  const session = createEvent({
    type: 'auth.session.revoked',
    source: 'auth',
    data: { userId: user.data.userId, sessionId: '0190b8e0-0000-7000-8000-000000000003', reason: 'logout', expiresAt: '2026-01-01T00:00:00.000Z' },
  });
  t.same(aggregateOf(session), { aggregateType: 'user', aggregateId: user.data.userId }, "a user's session events share the user's order");
  const failed = createEvent({ type: 'auth.login.failed', source: 'auth', data: { email: 'a@bank.local', ip: '127.0.0.1', reason: 'bad-password' } });
  t.same(aggregateOf(failed), { aggregateType: 'login', aggregateId: 'a@bank.local' });
  for (const [key, entry] of Object.entries(catalogue)) {
    t.ok((entry.schema as { required?: string[] }).required?.includes(entry.aggregate.key), `${key}: aggregate key ${entry.aggregate.key} is a required field`);
  }
});
