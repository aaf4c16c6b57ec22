// TRUSTED_PROXIES parsing and X-Forwarded-For sanitising (docs/client-ip.md), and how a service
// built with createService resolves request.ip from them.
import t from 'tap';
import { createService, parseTrustedProxies, sanitiseForwardedFor } from '../src/index.ts';

t.test('TRUSTED_PROXIES: addresses, CIDRs and proxy-addr names; anything else fails', async (t) => {
  t.same(parseTrustedProxies('loopback'), ['loopback']);
  t.same(parseTrustedProxies(' 10.0.0.0/8, 192.168.1.7 ,fd00::/8,uniquelocal '), ['10.0.0.0/8', '192.168.1.7', 'fd00::/8', 'uniquelocal']);
  t.same(parseTrustedProxies('none'), []);
  t.same(parseTrustedProxies(''), []);
  for (const bad of ['10.0.0.0/33', '::/129', 'everyone', '10.0.0.0/8/1', '1.2.3', 'localhost', '10.0.0.0/x']) {
    t.throws(() => parseTrustedProxies(bad), /TRUSTED_PROXIES/, bad);
  }
});

t.test('X-Forwarded-For: the right-most run of valid addresses survives', async (t) => {
  t.equal(sanitiseForwardedFor('203.0.113.9'), '203.0.113.9');
  t.equal(sanitiseForwardedFor('1.2.3.4, 203.0.113.9'), '1.2.3.4, 203.0.113.9');
  t.equal(sanitiseForwardedFor('garbage, 203.0.113.9'), '203.0.113.9');
  t.equal(sanitiseForwardedFor('203.0.113.9, garbage'), undefined);
  t.equal(sanitiseForwardedFor('2001:db8::1,10.0.0.1'), '2001:db8::1, 10.0.0.1');
  for (const bad of ['', ' ', ',', '127.1', '1.2.3.4:80', 'fe80::1%eth0', '[::1]', '0x7f000001', 'unknown']) t.equal(sanitiseForwardedFor(bad), undefined, JSON.stringify(bad));
});

t.test('request.ip per configuration', async (t) => {
  const build = async (trusted: string | undefined) => {
    const svc = await createService({
      name: 'kit-ip',
      config: { LOG_LEVEL: 'silent', NODE_ENV: 'test', ...(trusted === undefined ? {} : { TRUSTED_PROXIES: trusted }) },
      app: async (app) => {
        app.get('/ip', async (request) => ({ ip: request.ip }));
      },
    });
    t.teardown(() => svc.close());
    return (remoteAddress: string, xff?: string) =>
      svc.inject({ url: '/ip', remoteAddress, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }).then((r) => r.json().ip as string);
  };
  const none = await build(undefined);
  t.equal(await none('127.0.0.1', '203.0.113.9'), '127.0.0.1', 'no TRUSTED_PROXIES given: trust nobody');
  const native = await build('loopback');
  t.equal(await native('127.0.0.1', '203.0.113.9'), '203.0.113.9');
  t.equal(await native('198.51.100.4', '203.0.113.9'), '198.51.100.4', 'an untrusted peer is the client');
  t.equal(await native('127.0.0.1', '127.1'), '127.0.0.1', 'malformed → the peer');
  const k8s = await build('10.0.0.0/8');
  t.equal(await k8s('10.1.1.1', '6.6.6.6, 203.0.113.9, 10.2.2.2'), '203.0.113.9', 'right-most untrusted hop');
  t.equal(await k8s('10.1.1.1', '6.6.6.6, not-an-ip, 10.2.2.2'), '10.2.2.2', 'cut at the malformed entry');
});
