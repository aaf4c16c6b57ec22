import t from 'tap';
import bcrypt from 'bcryptjs';
import { generateKeyPairSync } from 'node:crypto';
import { hashPassword, needsRehash, verifyPassword } from '../src/domain/passwords.ts';
import { defaultDeviceName, deviceTypeFromUserAgent } from '../src/domain/device.ts';
import { hashToken, newRefreshToken, signingKeyFromPem } from '../src/domain/tokens.ts';

t.test('argon2id hashes verify; bcrypt legacy hashes verify and need a rehash', async (t) => {
  const hash = await hashPassword('correct horse battery');
  t.match(hash, /^\$argon2id\$/);
  t.ok(await verifyPassword(hash, 'correct horse battery'));
  t.notOk(await verifyPassword(hash, 'wrong'));
  t.notOk(needsRehash(hash));
  const legacy = await bcrypt.hash('legacy password!', 4);
  t.ok(await verifyPassword(legacy, 'legacy password!'));
  t.notOk(await verifyPassword(legacy, 'nope'));
  t.ok(needsRehash(legacy));
  t.notOk(await verifyPassword('garbage', 'x'), 'a corrupt hash never verifies');
});

t.test('device descriptions', async (t) => {
  t.equal(deviceTypeFromUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)'), 'mobile');
  t.equal(deviceTypeFromUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile'), 'mobile');
  t.equal(deviceTypeFromUserAgent('Mozilla/5.0 (iPad; CPU OS 17_0)'), 'tablet');
  t.equal(deviceTypeFromUserAgent('Mozilla/5.0 (X11; Linux x86_64) Chrome/120'), 'desktop');
  t.equal(deviceTypeFromUserAgent(undefined), 'unknown');
  t.equal(defaultDeviceName('Mozilla/5.0 (Windows NT 10.0) Chrome/120 Safari/537'), 'Chrome on Windows');
  t.equal(defaultDeviceName('curl/8.5.0'), 'curl');
});

t.test('signing keys: ES256 only, stable kid', async (t) => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  t.equal(signingKeyFromPem(pem).kid, signingKeyFromPem(pem).kid);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  t.throws(() => signingKeyFromPem(rsa), /P-256/);
  const token = newRefreshToken();
  t.equal(Buffer.from(token, 'base64url').length, 32);
  t.match(hashToken(token), /^[0-9a-f]{64}$/);
});
