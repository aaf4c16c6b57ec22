// Unit tests of the secret refusal rules (no Redis).
import t from 'tap';
import { assertNoSecrets, CacheSecretError, isSecretName } from '../src/index.ts';

t.test('secret-like field names are refused at any depth, in any spelling', async (t) => {
  for (const field of ['password', 'passwordHash', 'password_hash', 'token', 'refreshToken', 'access_token', 'accessToken', 'secret', 'clientSecret', 'API-KEY', 'privateKey', 'tokenHash']) {
    t.ok(isSecretName(field), field);
    t.throws(() => assertNoSecrets({ user: { [field]: 'x' } }), CacheSecretError, `nested ${field}`);
    t.throws(() => assertNoSecrets([{ ok: 1 }, { [field]: null }]), CacheSecretError, `${field} in an array`);
  }
});

t.test('secret-shaped strings are refused whatever their field', async (t) => {
  const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
  t.throws(() => assertNoSecrets({ note: jwt }), { code: 'CACHE_SECRET_REFUSED' });
  t.throws(() => assertNoSecrets('$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA'), CacheSecretError);
  t.throws(() => assertNoSecrets({ h: '$2b$10$abcdefghijklmnopqrstuu' }), CacheSecretError);
  t.throws(() => assertNoSecrets({ k: '-----BEGIN PRIVATE KEY-----\nabc' }), CacheSecretError);
});

t.test('ordinary payment-like values pass', async (t) => {
  t.doesNotThrow(() =>
    assertNoSecrets({ id: '0191a1b2-0000-7000-8000-000000000001', amount: 1234, currency: 'EUR', description: 'rent for the token shop', items: [1, 'two', null], tokenizedCard: false }),
  );
  t.doesNotThrow(() => assertNoSecrets(null));
  t.doesNotThrow(() => assertNoSecrets('plain text'));
});

t.test('pathologically deep values are refused rather than walked forever', async (t) => {
  let value: unknown = 1;
  for (let i = 0; i < 40; i++) value = { next: value };
  t.throws(() => assertNoSecrets(value), CacheSecretError);
});
