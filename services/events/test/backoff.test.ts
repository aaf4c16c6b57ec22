import t from 'tap';
import { MAX_RETRIES, nextRetry, relayBackoffMs, RETRY_DELAYS_MS, retryCountOf } from '../src/backoff.ts';
import { permissionsFor } from '../src/provision.ts';
import { authorise, readDeliveredEvent } from '../src/authorization.ts';
import { paymentCreated } from './helpers/events.ts';

t.test('three retries 1 s / 2 s / 4 s, then dead letter', async (t) => {
  t.same(RETRY_DELAYS_MS, [1000, 2000, 4000]);
  t.equal(MAX_RETRIES, 3);
  t.same(nextRetry(0), { action: 'retry', queueIndex: 0, delayMs: 1000, nextCount: 1 });
  t.same(nextRetry(1), { action: 'retry', queueIndex: 1, delayMs: 2000, nextCount: 2 });
  t.same(nextRetry(2), { action: 'retry', queueIndex: 2, delayMs: 4000, nextCount: 3 });
  t.same(nextRetry(3), { action: 'dead-letter' });
  t.same(nextRetry(7), { action: 'dead-letter' });
});

t.test('retry count header parsing', async (t) => {
  t.equal(retryCountOf(undefined), 0);
  t.equal(retryCountOf({ 'x-retry-count': 2 }), 2);
  t.equal(retryCountOf({ 'x-retry-count': '3' }), 3);
  t.equal(retryCountOf({ 'x-retry-count': 'junk' }), 0);
});

t.test('relay backoff grows exponentially, capped, jittered within [exp/2, exp]', async (t) => {
  t.equal(relayBackoffMs(1, 200, 10_000, () => 1), 200);
  t.equal(relayBackoffMs(2, 200, 10_000, () => 1), 400);
  t.equal(relayBackoffMs(4, 200, 10_000, () => 1), 1600);
  t.equal(relayBackoffMs(30, 200, 10_000, () => 1), 10_000);
  t.equal(relayBackoffMs(30, 200, 10_000, () => 0), 5_000);
});

t.test('permission regexes stay within the service’s own resources', async (t) => {
  const p = permissionsFor({ service: 'payments' });
  const configure = new RegExp(p.configure);
  const write = new RegExp(p.write);
  const read = new RegExp(p.read);
  t.ok(configure.test('payments.events') && configure.test('payments.retry.1s') && configure.test('events'));
  t.notOk(configure.test('auth.events'));
  t.notOk(configure.test('paymentsx.events'));
  t.ok(write.test('events') && write.test('amq.default') && write.test('payments.dlq'));
  t.notOk(write.test('auth.dlq'));
  t.notOk(read.test('auth.events'));
  const admin = permissionsFor({ service: 'admin', operator: true });
  t.ok(new RegExp(admin.read).test('payments.dlq'));
  t.notOk(new RegExp(admin.read).test('payments.events'));
  const prefixed = permissionsFor({ service: 'auth' }, 't1.');
  t.ok(new RegExp(prefixed.read).test('t1.auth.events'));
  t.notOk(new RegExp(prefixed.read).test('t1xauth.events'));
});

t.test('authorisation of a received event', async (t) => {
  const event = paymentCreated();
  const opts = { ownUser: 'admin', userForSource: (s: string) => s, trustedRepublishers: ['admin'] };
  t.same(authorise(event, { userId: 'payments', headers: {} }, opts), { ok: true, publisher: 'payments' });
  t.match(authorise(event, { userId: 'auth', headers: {} }, opts), { ok: false, detail: /published by user auth/ });
  t.match(authorise(event, { userId: undefined, headers: {} }, opts), { ok: false, detail: /\(none\)/ });
  t.match(authorise({ ...event, source: 'auth' }, { userId: 'auth', headers: {} }, opts), { ok: false, detail: /may not publish/ });
  // Our own retry copy: original publisher header trusted because we re-published it.
  t.same(authorise(event, { userId: 'admin', headers: { 'x-original-user-id': 'payments' } }, opts), { ok: true, publisher: 'payments' });
  // Someone else cannot claim an original publisher.
  t.match(authorise(event, { userId: 'auth', headers: { 'x-original-user-id': 'payments' } }, opts), { ok: false });
});

t.test('a delivery read by a subscriber without an inbox: JSON, a valid envelope, an allowed publisher', async (t) => {
  const event = paymentCreated();
  const opts = { ownUser: 'gateway', userForSource: (s: string) => s, trustedRepublishers: [] };
  const body = Buffer.from(JSON.stringify(event));
  t.same(readDeliveredEvent({ body, userId: 'payments', headers: {} }, opts), { ok: true, event });
  t.match(readDeliveredEvent({ body: Buffer.from('{nope'), userId: 'payments', headers: {} }, opts), { ok: false, reason: 'invalid-event', detail: 'body is not JSON' });
  t.match(readDeliveredEvent({ body: Buffer.from(JSON.stringify({ ...event, data: {} })), userId: 'payments', headers: {} }, opts), { ok: false, reason: 'invalid-event' });
  t.match(readDeliveredEvent({ body, userId: 'auth', headers: {} }, opts), { ok: false, reason: 'unauthorised-source', detail: /published by user auth/ });
});
