// Client addresses are believed only from trusted proxy hops (TRUSTED_PROXIES), in each mode:
// native (nginx on loopback overwrites X-Forwarded-For), Kubernetes (ingress-nginx in the pod
// network; the right-most untrusted hop is the client) and no proxy at all. A forged header changes
// neither the rate-limit key nor what the services are told; a malformed one is ignored.
import t from 'tap';
import { buildGateway, startEchoUpstream } from './helper.ts';

const window = () => String(60_000 + (Date.now() % 1000));

async function setup(t: Parameters<typeof buildGateway>[0], env: Record<string, string> = {}) {
  const auth = await startEchoUpstream(t, '/auth');
  const gw = await buildGateway(t, { AUTH_URL: auth, RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: window(), ...env });
  const call = (remoteAddress: string, xff?: string) =>
    gw.inject({ method: 'POST', url: '/api/auth/signin', remoteAddress, payload: {}, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } });
  return { gw, call };
}

const unique = () => `${(Date.now() >> 8) % 200 + 20}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

t.test('native: nginx on loopback is trusted, its X-Forwarded-For is the client', async (t) => {
  const { call } = await setup(t);
  const client = `203.${unique()}`;
  const res = await call('127.0.0.1', client);
  t.equal(res.json().headers['x-forwarded-for'], client, 'services are told the resolved client');
  for (let i = 0; i < 2; i++) await call('127.0.0.1', client);
  t.equal((await call('127.0.0.1', client)).statusCode, 429, 'rate-limited as that client');
  t.equal((await call('127.0.0.1', `198.${unique()}`)).statusCode, 200, 'another client behind the same nginx has its own budget');
});

t.test('an untrusted peer: X-Forwarded-For is ignored', async (t) => {
  const { call } = await setup(t);
  const attacker = `192.${unique()}`;
  const codes = [];
  let told = '';
  for (let i = 0; i < 5; i++) {
    const res = await call(attacker, `10.0.0.${i}, 198.51.100.${i}`);
    codes.push(res.statusCode);
    if (res.statusCode === 200) told = res.json().headers['x-forwarded-for'];
  }
  t.same(codes, [200, 200, 200, 429, 429], 'a new forged address per request does not reset the limit');
  t.equal(told, attacker, 'services are told the socket address, not the forged chain');
});

t.test('Kubernetes: the ingress (pod network) appends; the right-most untrusted hop is the client', async (t) => {
  const { call } = await setup(t, { TRUSTED_PROXIES: '10.0.0.0/8' });
  const client = `203.${unique()}`;
  const codes = [];
  for (let i = 0; i < 5; i++) {
    const res = await call('10.244.0.17', `198.51.100.${i}, ${client}`);
    codes.push(res.statusCode);
    if (i === 0) t.equal(res.json().headers['x-forwarded-for'], client);
  }
  t.same(codes, [200, 200, 200, 429, 429], 'the forged left-most values do not change the key');
  const outsider = `192.${unique()}`;
  const direct = await call(outsider, client);
  t.equal(direct.json().headers['x-forwarded-for'], outsider, 'a peer outside the pod network is not a proxy');
});

t.test('no trusted proxies: only the socket address counts', async (t) => {
  const { call } = await setup(t, { TRUSTED_PROXIES: 'none' });
  const res = await call('127.0.0.1', '203.0.113.77');
  t.equal(res.json().headers['x-forwarded-for'], '127.0.0.1');
});

t.test('malformed X-Forwarded-For values are ignored, never a 500', async (t) => {
  const { call } = await setup(t, { RATE_LIMIT_MAX: '1000' });
  for (const value of ['not-an-ip', '127.1', '1.2.3.4:80', ', ,', '999.1.1.1', 'fe80::1%eth0', '\u00e9', '203.0.113.9, garbage', '']) {
    const res = await call('127.0.0.1', value);
    t.equal(res.statusCode, 200, JSON.stringify(value));
    t.equal(res.json().headers['x-forwarded-for'], '127.0.0.1', `${JSON.stringify(value)} → the peer`);
  }
  const cut = await call('127.0.0.1', 'garbage, 203.0.113.9');
  t.equal(cut.json().headers['x-forwarded-for'], '203.0.113.9', 'what is left of the garbage is cut, the proxy-written part kept');
});
