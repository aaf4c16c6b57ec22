// Lockout per account and per IP, expiring on its own.
import t from 'tap';
import { buildAuth, PASSWORD, randomIp, signUpAndIn, uniqueEmail } from './helper.ts';

t.test('an account locks after N failures, even for the right password, then unlocks', async (t) => {
  const app = await buildAuth(t, { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_LOCKOUT_SECONDS: '2' });
  const { email } = await signUpAndIn(app);
  const attempt = (password: string) =>
    app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email, password } });
  for (let i = 0; i < 3; i++) t.equal((await attempt('wrong password!')).statusCode, 401);
  const locked = await attempt(PASSWORD);
  t.equal(locked.statusCode, 429, 'locked from any IP');
  t.equal(locked.json().code, 'AUTH_TOO_MANY_ATTEMPTS');
  t.ok(Number(locked.headers['retry-after']) >= 1);
  await new Promise((r) => setTimeout(r, 2_100));
  t.equal((await attempt(PASSWORD)).statusCode, 200, 'the lockout expires');
});

t.test('an IP locks after N failures across accounts', async (t) => {
  const app = await buildAuth(t, { LOGIN_MAX_FAILURES_PER_IP: '4', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' });
  const ip = randomIp();
  const { email } = await signUpAndIn(app);
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email: uniqueEmail(), password: 'whatever!!' } });
    t.equal(res.statusCode, 401);
  }
  const blocked = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email, password: PASSWORD } });
  t.equal(blocked.statusCode, 429);
  const elsewhere = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email, password: PASSWORD } });
  t.equal(elsewhere.statusCode, 200, 'the account itself is not locked');
});
