// Sign-in throttling instead of lockout: failures slow down the address that makes them (growing,
// capped delays per account+address, a larger allowance per address); the owner signing in from
// their own address is never locked out by a stranger.
import t from 'tap';
import { addressUnit, delayAfter } from '../src/domain/login-throttle.ts';
import { buildAuth, PASSWORD, randomIp, signUpAndIn, uniqueEmail } from './helper.ts';

const policy = { baseDelaySeconds: 1, maxDelaySeconds: 300 };
// Long delays, so a slow machine cannot make one expire between two requests; time passing is
// simulated by clearing the `until` field of the counters.
const SLOW = { LOGIN_THROTTLE_BASE_DELAY_SECONDS: '30', LOGIN_THROTTLE_MAX_DELAY_SECONDS: '60' };
const elapse = async (app: Awaited<ReturnType<typeof buildAuth>>, ip: string) => {
  for (const key of await app.redis.keys(`auth:throttle:*${ip}*`)) await app.redis.hset(key, 'until', 0);
};

t.test('the delay curve: free attempts, then doubling, capped', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 7, 8].map((n) => delayAfter(n, 5, policy)), [0, 0, 0, 0, 1, 2, 4, 8]);
  t.equal(delayAfter(14, 5, policy), 300, 'capped');
  t.equal(delayAfter(10_000, 5, policy), 300, 'no overflow');
});

t.test('addresses are counted per IPv4 address or IPv6 /64', async (t) => {
  t.equal(addressUnit('203.0.113.9'), '203.0.113.9');
  t.equal(addressUnit('::ffff:203.0.113.9'), '203.0.113.9');
  t.equal(addressUnit('2001:db8:0:1:aaaa::1'), '2001:db8:0:1::/64');
  t.equal(addressUnit('2001:DB8:0000:0001:ffff:1:2:3'), '2001:db8:0:1::/64');
  t.equal(addressUnit('2001:db8::1'), '2001:db8:0:0::/64');
  t.equal(addressUnit('::1'), '0:0:0:0::/64');
});

t.test("a stranger's failures do not lock the owner out", async (t) => {
  const app = await buildAuth(t, SLOW);
  const owner = randomIp();
  const { email } = await signUpAndIn(app, { ip: owner });
  const stranger = randomIp();
  const attempt = (ip: string, password: string) => app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email, password } });
  const strangerCodes = [];
  for (let i = 0; i < 20; i++) strangerCodes.push((await attempt(stranger, 'wrong password!')).statusCode);
  t.same(strangerCodes.slice(0, 5), [401, 401, 401, 401, 401], 'five free attempts');
  t.equal(strangerCodes[5], 429, 'then the stranger waits');
  t.ok(strangerCodes.slice(5).every((c) => c === 429), 'refused attempts are not even checked');
  const ownerIn = await attempt(owner, PASSWORD);
  t.equal(ownerIn.statusCode, 200, 'the owner signs in at once from their address');
  const blocked = await attempt(stranger, PASSWORD);
  t.equal(blocked.statusCode, 429, 'the right password does not help the throttled address');
  t.equal(blocked.json().code, 'AUTH_TOO_MANY_ATTEMPTS');
  t.ok(Number(blocked.headers['retry-after']) >= 1);
});

t.test('delays grow, are capped and end: then the address may try again', async (t) => {
  const app = await buildAuth(t, { ...SLOW, LOGIN_THROTTLE_FREE_PER_ACCOUNT_ADDRESS: '2' });
  const { email } = await signUpAndIn(app);
  const ip = randomIp();
  const attempt = (password: string) => app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email, password } });
  const retryAfter = (res: Awaited<ReturnType<typeof attempt>>) => Number(res.headers['retry-after']);
  t.equal((await attempt('wrong password!')).statusCode, 401);
  t.equal((await attempt('wrong password!')).statusCode, 401);
  const waiting = await attempt(PASSWORD);
  t.equal(waiting.statusCode, 429);
  t.ok(retryAfter(waiting) > 25 && retryAfter(waiting) <= 30, `first delay: base (${retryAfter(waiting)} s)`);
  await elapse(app, ip);
  t.equal((await attempt('wrong password!')).statusCode, 401, 'allowed again after the delay');
  const doubled = await attempt(PASSWORD);
  t.ok(retryAfter(doubled) > 55 && retryAfter(doubled) <= 60, `next delay doubled (${retryAfter(doubled)} s)`);
  await elapse(app, ip);
  t.equal((await attempt('wrong password!')).statusCode, 401);
  t.ok(retryAfter(await attempt(PASSWORD)) <= 60, 'capped (base × 4 would be 120 s)');
  await elapse(app, ip);
  t.equal((await attempt(PASSWORD)).statusCode, 200, 'the owner gets in after the delay');
  t.equal((await attempt('wrong password!')).statusCode, 401, 'a success clears the account+address counter');
  t.equal((await attempt('wrong password!')).statusCode, 401);
});

t.test('a burst of parallel guesses cannot outrun the count', async (t) => {
  const app = await buildAuth(t, SLOW);
  const { email } = await signUpAndIn(app);
  const ip = randomIp();
  const results = await Promise.all(
    Array.from({ length: 20 }, () => app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email, password: 'wrong password!' } })),
  );
  t.equal(results.filter((r) => r.statusCode === 401).length, 5, 'only the free attempts were checked');
  t.equal(results.filter((r) => r.statusCode === 429).length, 15);
});

t.test('one address spraying many accounts is slowed; other addresses are not', async (t) => {
  const app = await buildAuth(t, { ...SLOW, LOGIN_THROTTLE_FREE_PER_ADDRESS: '4' });
  const ip = randomIp();
  const { email } = await signUpAndIn(app);
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email: uniqueEmail(), password: 'whatever!!' } });
    t.equal(res.statusCode, 401);
  }
  const blocked = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email, password: PASSWORD } });
  t.equal(blocked.statusCode, 429);
  const ttl = await app.redis.pttl(`auth:throttle:ip:${ip}`);
  t.ok(ttl > 0 && ttl <= 900_000, `the address counter lives one window from its first attempt (${ttl} ms left)`);
  const elsewhere = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: randomIp(), payload: { email, password: PASSWORD } });
  t.equal(elsewhere.statusCode, 200, 'the account itself is not locked');
});

t.test('successful sign-ins from a shared address do not use up its allowance', async (t) => {
  const app = await buildAuth(t, { LOGIN_THROTTLE_FREE_PER_ADDRESS: '3' });
  const ip = randomIp();
  const { email } = await signUpAndIn(app, { ip });
  for (let i = 0; i < 6; i++) {
    t.equal((await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: ip, payload: { email, password: PASSWORD } })).statusCode, 200);
  }
});
