// Secrets never reach the logs. Failures are driven against the real PostgreSQL — a failed
// sign-up (a constraint the insert violates, carrying the new argon2id hash, email and name), a
// failed sign-in and a failed refresh (their session/token inserts fail) and the database
// dropping away (connections refused) — while the service logs at debug level into a buffer with
// the production logger options. The buffer must show the failures (error type, constraint) and
// must not contain any password, hash, token, cookie or email.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import t from 'tap';
import { pino } from 'pino';
import postgres from 'postgres';
import { createService, loggerOptions } from '@bank/kit';
import { createFaultProxy } from '@bank/kit/fault-proxy';
import { bearer, createTestDatabase, LOCAL_REDIS_URL } from '@bank/kit/testing';
import app from '../src/app.ts';
import { loadAuthConfig } from '../src/config.ts';
import { signingKeyFromPem } from '../src/domain/tokens.ts';
import { uniqueEmail } from './helper.ts';

t.test('failed sign-up, sign-in, refresh and a lost database log no secrets', async (t) => {
  const db = await createTestDatabase('auth_logs');
  const proxy = await createFaultProxy({ host: '127.0.0.1', port: 5432 });
  const admin = postgres(db.url, { max: 1, onnotice: () => {} });
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const config = loadAuthConfig({
    DATABASE_URL: proxy.url(db.url),
    REDIS_URL: LOCAL_REDIS_URL,
    JWT_PRIVATE_KEY_FILE: '/unused-in-tests',
    EVENTS_PREFIX: `test.${randomBytes(3).toString('hex')}.`,
    LOG_LEVEL: 'debug',
    NODE_ENV: 'test',
  });
  const service = await createService({
    name: 'auth',
    config,
    app: (fastify, opts) => app(fastify, { ...opts, signingKey: signingKeyFromPem(pem) }),
    fastify: { loggerInstance: pino(loggerOptions('auth', 'debug'), capture) },
  });
  await service.ready();
  t.teardown(async () => {
    await service.close();
    await admin.end();
    await proxy.close();
    await db.drop();
  });

  // A user who signs in fine: the secrets whose leak would matter most.
  const email = uniqueEmail('logs');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  t.equal((await service.inject({ method: 'POST', url: '/auth/signup', payload: { email, password, name: 'Log Subject' } })).statusCode, 201);
  const signin = await service.inject({ method: 'POST', url: '/auth/signin', payload: { email, password } });
  t.equal(signin.statusCode, 200);
  const { accessToken, refreshToken } = signin.json() as { accessToken: string; refreshToken: string };
  const cookie = String(signin.headers['set-cookie']).split(';')[0]!;
  const [row] = await admin<{ password_hash: string }[]>`select password_hash from users where email = ${email}`;
  const storedHash = row!.password_hash;

  // 1. A failed sign-up: the insert violates a constraint (as an unexpected database error would).
  const newEmail = uniqueEmail('failed-signup');
  const newPassword = `pw-${randomBytes(8).toString('hex')}`;
  await admin`alter table users add constraint log_test_refuse check (false) not valid`;
  const failedSignup = await service.inject({
    method: 'POST',
    url: '/auth/signup',
    headers: { 'x-forwarded-for': '203.0.113.77' },
    payload: { email: newEmail, password: newPassword, name: 'Failed Signup' },
  });
  t.equal(failedSignup.statusCode, 500, 'the failed sign-up is a 500 (logged)');
  await admin`alter table users drop constraint log_test_refuse`;

  // 2. A failed sign-in and 3. a failed refresh: their session / token rows cannot be written.
  await admin`alter table sessions add constraint log_test_refuse check (false) not valid`;
  t.equal((await service.inject({ method: 'POST', url: '/auth/signin', payload: { email, password } })).statusCode, 500);
  await admin`alter table sessions drop constraint log_test_refuse`;
  await admin`alter table refresh_tokens add constraint log_test_refuse check (false) not valid`;
  const failedRefresh = await service.inject({ method: 'POST', url: '/auth/refresh', headers: { cookie, ...bearer(accessToken) }, payload: {} });
  t.equal(failedRefresh.statusCode, 500);
  await admin`alter table refresh_tokens drop constraint log_test_refuse`;

  // 4. The database goes away: sign-up, sign-in and an authenticated call get 503.
  await proxy.down();
  const downSignup = await service.inject({ method: 'POST', url: '/auth/signup', payload: { email: uniqueEmail('down'), password: newPassword, name: 'Down' } });
  t.equal(downSignup.statusCode, 503);
  t.equal(downSignup.json().code, 'DATABASE_UNAVAILABLE');
  t.equal((await service.inject({ method: 'POST', url: '/auth/signin', payload: { email, password } })).statusCode, 503);
  t.equal((await service.inject({ url: '/auth/sessions', headers: { ...bearer(accessToken), cookie } })).statusCode, 503);
  await proxy.up();

  const log = lines.join('');
  t.match(log, /"type":"DrizzleQueryError"/, 'the failures are logged, with their error type');
  t.match(log, /"constraint_name":"log_test_refuse"/, '… and the constraint that failed');
  t.match(log, /DATABASE_UNAVAILABLE|dependency unavailable/, '… and the lost database');
  const secrets: Record<string, string> = {
    password,
    'failed sign-up password': newPassword,
    'stored argon2id hash': storedHash,
    email,
    'failed sign-up email': newEmail,
    'access token': accessToken,
    'refresh token': refreshToken,
    'refresh cookie': cookie.split('=')[1]!,
  };
  for (const [what, value] of Object.entries(secrets)) t.notOk(log.includes(value), `no ${what} in the logs`);
  t.notMatch(log, /\$argon2id\$/, 'no argon2id hash at all (the failed sign-up computed one)');
  t.notMatch(log, /params: (?!\[redacted\])/, 'no query parameter list');
});
