import t from 'tap';
import { randomUUID } from 'node:crypto';
import { catalogue, checkData, eventTypes, latestVersion, mayPublish, publishPrefixes, typesConsumedBy } from '../src/contracts.ts';
import { paymentCreated, userRegistered } from './helpers/events.ts';

t.test('the catalogue has exactly the platform event types, each at version 1', async (t) => {
  t.same(
    [...eventTypes].sort(),
    [
      'admin.audit.created', 'admin.config.updated',
      'auth.login.failed', 'auth.session.created', 'auth.session.revoked',
      'auth.user.disabled', 'auth.user.login', 'auth.user.logout', 'auth.user.registered', 'auth.user.updated',
      'payments.payment.cancelled', 'payments.payment.completed', 'payments.payment.created', 'payments.payment.failed', 'payments.payment.updated',
      'payments.schedule.cancelled', 'payments.schedule.created', 'payments.schedule.paused', 'payments.schedule.resumed',
      'profile.profile.updated',
    ],
  );
  for (const type of eventTypes) t.equal(latestVersion[type], 1, type);
  t.equal(Object.keys(catalogue).length, 20);
});

t.test('every type that concerns a user carries userId', async (t) => {
  for (const [key, entry] of Object.entries(catalogue)) {
    if (key.startsWith('auth.login.failed')) continue; // unknown user: email + ip only
    const properties = (entry.schema as { properties: Record<string, unknown> }).properties;
    if (key.startsWith('admin.audit.created')) t.ok('userId' in properties, key);
    else t.ok('userId' in properties, `${key} has userId`);
  }
});

t.test('data validation', async (t) => {
  t.same(checkData('payments.payment.created', 1, paymentCreated().data), { ok: true });
  t.same(checkData('auth.user.registered', 1, userRegistered().data), { ok: true });

  const fractional = { ...paymentCreated().data, amount: 10.5 };
  const result = checkData('payments.payment.created', 1, fractional);
  t.equal(result.ok, false);
  t.match(result, { reason: 'schema-invalid', detail: /amount/ });

  t.match(checkData('payments.payment.created', 1, { ...paymentCreated().data, currency: 'eur' }), { ok: false, detail: /currency/ });
  t.match(checkData('payments.payment.created', 1, { ...paymentCreated().data, extra: 1 }), { ok: false, reason: 'schema-invalid' });
  t.match(checkData('auth.user.disabled', 1, { userId: 'not-a-uuid' }), { ok: false, detail: /userId/ });
  t.match(checkData('auth.user.disabled', 2, { userId: randomUUID() }), { ok: false, reason: 'unknown-type' });
  t.match(checkData('auth.user.exploded', 1, {}), { ok: false, reason: 'unknown-type' });
  t.same(checkData('payments.payment.failed', 1, { ...paymentCreated().data, status: 'failed', failureReason: 'insufficient funds' }), { ok: true });
});

t.test('who may publish what', async (t) => {
  t.ok(mayPublish('auth', 'auth.user.registered'));
  t.ok(mayPublish('payments', 'payments.payment.created'));
  t.notOk(mayPublish('auth', 'payments.payment.created'));
  t.notOk(mayPublish('payments', 'auth.user.registered'));
  t.notOk(mayPublish('gateway', 'auth.user.registered'));
  t.notOk(mayPublish('profile', 'profiles.x.y'), 'prefix includes the dot');
  t.same(Object.keys(publishPrefixes).sort(), ['admin', 'auth', 'payments', 'profile']);
  t.ok(typesConsumedBy('profile').includes('auth.user.registered'));
  t.ok(typesConsumedBy('admin').length >= 10);
});
