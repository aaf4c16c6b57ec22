// Upgrade policy: the Origin check (cross-site WebSocket hijacking), the per-user socket cap, and
// identities whose role changed since the token or ticket was issued.
import t from 'tap';
import { currentRoleKey } from '@bank/kit';
import { normaliseOrigin } from '../src/ws/authenticate.ts';
import { CloseCodes } from '../src/ws/close-codes.ts';
import { connect, connectReady, identity, listenGateway, refusal } from './ws-helper.ts';

t.test('origins are compared scheme://host:port, default ports dropped', async (t) => {
  t.equal(normaliseOrigin('https://Bank.example:443'), 'https://bank.example');
  t.equal(normaliseOrigin('https://localhost:8443'), 'https://localhost:8443');
  t.equal(normaliseOrigin('null'), undefined);
  t.equal(normaliseOrigin('file://x'), undefined);
  t.equal(normaliseOrigin('not an origin'), undefined);
});

t.test('only the page’s own origin and configured ones may open a socket', async (t) => {
  const gw = await listenGateway(t, { CORS_ORIGINS: 'https://app.example', WS_ALLOWED_ORIGINS: 'https://mobile.example' });
  const own = new URL(gw.url.replace('ws:', 'http:')).origin;
  const alice = identity();
  const open = async (origin: string | undefined) => {
    const ticket = await alice.ticket(gw.app);
    return refusal(connect(`${gw.url}?ticket=${ticket}`, { options: origin ? { origin } : {} }));
  };
  for (const origin of ['https://evil.example', 'null', 'https://app.example.evil.example', 'http://app.example']) {
    const refused = await open(origin);
    t.equal(refused.status, 403, `${origin} refused`);
    t.equal(refused.body?.code, 'WS_ORIGIN_FORBIDDEN');
  }
  const ticket = await alice.ticket(gw.app);
  await refusal(connect(`${gw.url}?ticket=${ticket}`, { options: { origin: 'https://evil.example' } }));
  const stillValid = await connectReady(`${gw.url}?ticket=${ticket}`, { options: { origin: own } });
  t.pass('a refused origin does not spend the ticket');
  stillValid.socket.close();
  for (const origin of [own, 'https://app.example', 'https://mobile.example', undefined]) {
    t.equal((await open(origin)).status, 0, `${origin ?? 'no Origin (not a browser)'} allowed`);
  }
  // Behind nginx: the page's host arrives as X-Forwarded-Host from the trusted proxy.
  const proxied = await refusal(connect(`${gw.url}?ticket=${await alice.ticket(gw.app)}`, { options: { origin: 'https://localhost:8443', headers: { 'x-forwarded-host': 'localhost:8443', 'x-forwarded-proto': 'https' } } }));
  t.equal(proxied.status, 0, 'same origin through the edge');
});

t.test('a user holds at most WS_MAX_SOCKETS_PER_USER sockets', async (t) => {
  const gw = await listenGateway(t, { WS_MAX_SOCKETS_PER_USER: '2' });
  const bob = identity();
  const other = identity();
  const first = await connectReady(gw.url, { protocols: ['bearer', bob.token] });
  const second = await connectReady(gw.url, { protocols: ['bearer', bob.token] });
  const third = await refusal(connect(gw.url, { protocols: ['bearer', bob.token] }));
  t.equal(third.status, 429);
  t.equal(third.body?.code, 'WS_TOO_MANY_CONNECTIONS');
  const byTicket = await refusal(connect(`${gw.url}?ticket=${await bob.ticket(gw.app)}`));
  t.equal(byTicket.status, 429, 'by ticket too');
  const otherSock = await connectReady(gw.url, { protocols: ['bearer', other.token] });
  t.pass('another user is not affected');
  first.socket.close();
  await first.closed;
  const again = await connectReady(gw.url, { protocols: ['bearer', bob.token] });
  t.pass('a closed socket frees its place');

  // Parallel upgrades that all passed the pre-check: the cap still holds once they are open.
  const burst = await Promise.all(Array.from({ length: 4 }, () => connect(gw.url, { protocols: ['bearer', other.token] }).catch(() => undefined)));
  const opened = burst.filter((c) => c !== undefined);
  await Promise.all(opened.map((c) => Promise.race([c.closed, c.next('welcome').catch(() => undefined)])));
  t.ok(gw.app.ws.registry.members(`user:${other.sub}`).size <= 2, 'never more than the cap registered');
  const closedByCap = await Promise.all(opened.map((c) => Promise.race([c.closed.then((x) => x.code), new Promise((r) => setTimeout(() => r(0), 300))])));
  t.ok(closedByCap.every((code) => code === 0 || code === CloseCodes.TOO_MANY_CONNECTIONS), 'extra sockets are closed with 4429');
  for (const c of [second, otherSock, again, ...opened]) c.socket.close();
});

t.test('a token or ticket with a role the user no longer has cannot connect', async (t) => {
  const gw = await listenGateway(t);
  const demoted = identity('ADMIN');
  await gw.app.redis.set(currentRoleKey(demoted.sub), 'CUSTOMER', 'EX', 30);
  t.teardown(() => gw.app.redis.del(currentRoleKey(demoted.sub)));
  const byToken = await refusal(connect(gw.url, { protocols: ['bearer', demoted.token] }));
  t.equal(byToken.status, 401);
  t.equal(byToken.body?.code, 'AUTH_ROLE_CHANGED');
  const byTicket = await refusal(connect(`${gw.url}?ticket=${await demoted.ticket(gw.app)}`));
  t.equal(byTicket.body?.code, 'AUTH_ROLE_CHANGED');
});
