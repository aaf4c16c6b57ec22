// The client address comes only from trusted proxy hops (TRUSTED_PROXIES): a forged
// X-Forwarded-For changes neither the throttle counters nor the IP stored with the session, and a
// malformed one is ignored (never a 500).
import t from 'tap';
import { bearer, buildAuth, PASSWORD, randomIp, signUpAndIn } from './helper.ts';

const sessionIp = async (app: Awaited<ReturnType<typeof buildAuth>>, accessToken: string) =>
  ((await app.inject({ url: '/auth/sessions', headers: bearer(accessToken) })).json().items as Array<{ ip: string; current: boolean }>).find((s) => s.current)?.ip;

t.test('native mode (trusted: loopback = the gateway): the forwarded client address is used', async (t) => {
  const app = await buildAuth(t);
  const { email } = await signUpAndIn(app);
  const res = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7' }, payload: { email, password: PASSWORD } });
  t.equal(await sessionIp(app, res.json().accessToken), '203.0.113.7');
});

t.test('an untrusted peer cannot forge its address', async (t) => {
  const app = await buildAuth(t, { LOGIN_THROTTLE_BASE_DELAY_SECONDS: '30' });
  const { email } = await signUpAndIn(app);
  const attacker = randomIp();
  const signIn = (password: string, forged: string) =>
    app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: attacker, headers: { 'x-forwarded-for': forged }, payload: { email, password } });
  const ok = await signIn(PASSWORD, '198.51.100.1');
  t.equal(await sessionIp(app, ok.json().accessToken), attacker, 'the socket address is stored, not the header');
  const codes = [];
  for (let i = 0; i < 8; i++) codes.push((await signIn('wrong password!', `198.51.100.${i + 10}`)).statusCode);
  t.same(codes, [401, 401, 401, 401, 401, 429, 429, 429], 'a new forged address per try does not reset the throttle');
});

t.test('Kubernetes mode: the right-most untrusted hop is the client', async (t) => {
  const app = await buildAuth(t, { TRUSTED_PROXIES: '10.0.0.0/8' });
  const { email } = await signUpAndIn(app);
  // ingress (10.1.2.3) appended the real client to what the client sent.
  const res = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '1.2.3.4, 203.0.113.50' }, payload: { email, password: PASSWORD } });
  t.equal(await sessionIp(app, res.json().accessToken), '203.0.113.50');
  const viaTwo = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': '1.2.3.4, 203.0.113.51, 10.9.9.9' }, payload: { email, password: PASSWORD } });
  t.equal(await sessionIp(app, viaTwo.json().accessToken), '203.0.113.51', 'trusted hops are skipped');
});

t.test('malformed X-Forwarded-For values are ignored, never a 500', async (t) => {
  const app = await buildAuth(t);
  const s = await signUpAndIn(app);
  const values = ['not-an-ip', '127.1', '1.2.3.4:80', ', ,', '999.1.1.1', 'fe80::1%eth0', '\u00e9t\u00e9', 'garbage, 203.0.113.9', '203.0.113.9, garbage'];
  let refreshToken = s.refreshToken;
  for (const value of values) {
    const signin = await app.inject({ method: 'POST', url: '/auth/signin', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': value }, payload: { email: s.email, password: PASSWORD } });
    t.equal(signin.statusCode, 200, `sign-in with ${JSON.stringify(value)}`);
    const ip = await sessionIp(app, signin.json().accessToken);
    t.equal(ip, value === 'garbage, 203.0.113.9' ? '203.0.113.9' : '127.0.0.1', `stored ${ip}`);
    const refresh = await app.inject({ method: 'POST', url: '/auth/refresh', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': value }, payload: { refreshToken } });
    t.equal(refresh.statusCode, 200, `refresh with ${JSON.stringify(value)}`);
    refreshToken = refresh.json().refreshToken;
  }
});

t.test('TRUSTED_PROXIES is validated at boot', async (t) => {
  await t.rejects(buildAuth(t, { TRUSTED_PROXIES: '10.0.0.0/99' }), /TRUSTED_PROXIES/);
  await t.rejects(buildAuth(t, { TRUSTED_PROXIES: 'everyone' }), /TRUSTED_PROXIES/);
});
