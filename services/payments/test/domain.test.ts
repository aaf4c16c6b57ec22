// Pure domain rules: state machine, money and currencies, idempotency fingerprint, outcomes.
import t from 'tap';
import { AppError } from '@bank/kit';
import { CURRENCY_EXPONENTS, isSupportedCurrency, minorUnitsPerMajor } from '../src/domain/currencies.ts';
import { assertAmount, assertCurrency, MAX_AMOUNT_MINOR } from '../src/domain/money.ts';
import { canonicalJson, requestHash } from '../src/domain/idempotency.ts';
import { canTransition, eventTypeFor, isTerminal, PAYMENT_STATUSES, transition } from '../src/domain/status.ts';
import { decideOutcome } from '../src/domain/outcome.ts';

t.test('state machine: exactly the legal transitions', async (t) => {
  const legal = new Set(['pending>processing', 'pending>cancelled', 'processing>completed', 'processing>failed']);
  for (const from of PAYMENT_STATUSES) {
    for (const to of PAYMENT_STATUSES) {
      const key = `${from}>${to}`;
      t.equal(canTransition(from, to), legal.has(key), key);
      if (legal.has(key)) t.equal(transition(from, to), to);
      else t.throws(() => transition(from, to), { code: 'PAYMENTS_ILLEGAL_TRANSITION', statusCode: 409 }, `${key} throws 409`);
    }
  }
  t.same(PAYMENT_STATUSES.filter(isTerminal), ['completed', 'failed', 'cancelled']);
  t.equal(eventTypeFor('processing'), 'payments.payment.updated');
  t.equal(eventTypeFor('cancelled'), 'payments.payment.cancelled');
  t.equal(eventTypeFor('pending'), 'payments.payment.created');
});

t.test('money: positive safe integers of minor units only', async (t) => {
  for (const ok of [1, 1050, MAX_AMOUNT_MINOR]) t.doesNotThrow(() => assertAmount(ok), String(ok));
  for (const bad of [0, -1, 10.5, 0.1 + 0.2, MAX_AMOUNT_MINOR + 1, Number.NaN, Infinity, '100', true, null, 2 ** 53]) {
    t.throws(() => assertAmount(bad), AppError, String(bad));
    t.throws(() => assertAmount(bad), { code: 'PAYMENTS_INVALID_AMOUNT', statusCode: 400 });
  }
});

t.test('currencies: real ISO 4217 codes with their minor units', async (t) => {
  for (const code of ['EUR', 'USD', 'GBP', 'JPY', 'KWD', 'CHF']) t.ok(isSupportedCurrency(code), code);
  for (const code of ['XXX', 'XTS', 'XAU', 'ABC', 'eur', 'EURO', 'HRK']) t.notOk(isSupportedCurrency(code), code);
  t.equal(minorUnitsPerMajor('EUR'), 100);
  t.equal(minorUnitsPerMajor('JPY'), 1);
  t.equal(minorUnitsPerMajor('KWD'), 1000);
  t.throws(() => minorUnitsPerMajor('ABC'), RangeError);
  t.throws(() => assertCurrency('ABC'), { code: 'PAYMENTS_UNSUPPORTED_CURRENCY', statusCode: 422 });
  t.ok(CURRENCY_EXPONENTS.size > 150, `${CURRENCY_EXPONENTS.size} currencies`);
});

t.test('idempotency fingerprint: canonical, order-insensitive, content-sensitive', async (t) => {
  const a = { amount: 100, currency: 'EUR', recipientId: 'x', type: 'instant' };
  const b = { type: 'instant', recipientId: 'x', currency: 'EUR', amount: 100 };
  t.equal(canonicalJson(a), canonicalJson(b));
  t.equal(requestHash(a), requestHash(b));
  t.equal(requestHash({ ...a, description: undefined }), requestHash(a), 'undefined fields are ignored');
  t.not(requestHash({ ...a, amount: 101 }), requestHash(a));
  t.not(requestHash({ ...a, description: 'x' }), requestHash(a));
  t.match(requestHash(a), /^[0-9a-f]{64}$/);
  t.equal(canonicalJson({ n: [2, { b: 1, a: null }] }), '{"n":[2,{"a":null,"b":1}]}');
});

t.test('processor outcomes are deterministic', async (t) => {
  const base = { amount: 1050, currency: 'EUR', description: null, recipientActive: true };
  t.same(decideOutcome(base, 1_000_000), { status: 'completed' });
  t.match(decideOutcome({ ...base, description: 'please fail me' }, 1_000_000), { status: 'failed', code: 'declined' });
  t.match(decideOutcome({ ...base, amount: 2013 }, 1_000_000), { status: 'failed', code: 'declined_amount' });
  t.same(decideOutcome({ ...base, amount: 2113 + 1 }, 1_000_000), { status: 'completed' });
  t.match(decideOutcome({ ...base, amount: 100_000_001 }, 1_000_000), { status: 'failed', code: 'limit_exceeded', reason: 'limit exceeded' });
  t.same(decideOutcome({ ...base, amount: 100_000_000 }, 1_000_000), { status: 'completed' }, 'exactly the limit passes');
  t.match(decideOutcome({ ...base, currency: 'JPY', amount: 1_000_001 }, 1_000_000), { code: 'limit_exceeded' }, 'limit in major units per currency');
  t.match(decideOutcome({ ...base, recipientActive: false }, 1_000_000), { code: 'recipient_disabled' });
});
