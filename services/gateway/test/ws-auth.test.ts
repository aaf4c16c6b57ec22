// /ws upgrade authentication: single-use tickets (GETDEL), access tokens by subprotocol (never query),
// revoked sessions, and the 401 refusals of the upgrade.
import t from 'tap';
import { revokedSessionKey, wsTicketKey } from '@bank/kit';
import { keys } from './helper.ts';
import { connect, connectReady, identity, listenGateway, refusal, sleep } from './ws-helper.ts';

t.test('a ticket opens one socket, once', async (t) => {
  const gw = await listenGateway(t);
  const alice = identity();
  const ticket = await alice.ticket(gw.app);
  const client = await connect(`${gw.url}?ticket=${ticket}`);
  const welcome = await client.next('welcome');
  t.same(welcome.payload, { userId: alice.sub, sessionId: alice.sid, rooms: [`user:${alice.sub}`, `session:${alice.sid}`, 'broadcast'] });
  t.equal(await gw.app.redis.exists(wsTicketKey(ticket)), 0, 'consumed');
  client.socket.close();

  const reused = await refusal(connect(`${gw.url}?ticket=${ticket}`));
  t.equal(reused.status, 401, 'reused ticket refused');
  t.equal(reused.body?.code, 'WS_TICKET_INVALID');
  t.equal((await refusal(connect(`${gw.url}?ticket=${'x'.repeat(32)}`))).status, 401, 'unknown ticket refused');
  t.equal((await refusal(connect(`${gw.url}?ticket=not%20a%20ticket`))).status, 401, 'malformed ticket refused');

  const shortLived = await alice.ticket(gw.app, 50);
  await sleep(120);
  t.equal((await refusal(connect(`${gw.url}?ticket=${shortLived}`))).status, 401, 'expired ticket refused');

  await gw.app.redis.set(wsTicketKey('garbage-ticket-value-0001'), 'not json', 'EX', 30);
  t.equal((await refusal(connect(`${gw.url}?ticket=garbage-ticket-value-0001`))).status, 401, 'corrupt ticket refused');
});

t.test('an admin ticket joins role:admin', async (t) => {
  const gw = await listenGateway(t);
  const admin = identity('ADMIN');
  const client = await connect(`${gw.url}?ticket=${await admin.ticket(gw.app)}`);
  t.ok(((await client.next('welcome')).payload.rooms as string[]).includes('role:admin'));
  client.socket.close();
});

t.test('access token through the bearer subprotocol; never in the query string', async (t) => {
  const gw = await listenGateway(t);
  const bob = identity();
  const viaProtocol = await connectReady(gw.url, { protocols: ['bearer', bob.token] });
  t.equal(viaProtocol.socket.protocol, 'bearer', 'the server selects "bearer", never echoes the token');
  t.equal(gw.app.ws.registry.members(`user:${bob.sub}`).size, 1);
  const viaQuery = await refusal(connect(`${gw.url}?access_token=${bob.token}`));
  t.equal(viaQuery.status, 401, 'a long-lived token in the URL is refused');
  t.equal(viaQuery.body?.code, 'WS_TOKEN_IN_URL');
  t.equal(gw.app.ws.registry.members(`user:${bob.sub}`).size, 1);
  viaProtocol.socket.close();
  await viaProtocol.closed;

  const none = await refusal(connect(gw.url));
  t.equal(none.status, 401);
  t.equal(none.body?.code, 'UNAUTHORIZED');
  t.equal((await refusal(connect(gw.url, { protocols: ['bearer', 'not.a.jwt'] }))).status, 401, 'bad token');
  const expired = keys.sign({ sub: bob.sub, role: 'CUSTOMER', sid: bob.sid }, { expiresInMs: 1 });
  await sleep(20);
  t.equal((await refusal(connect(gw.url, { protocols: ['bearer', expired] }))).status, 401, 'expired token');
});

t.test('a revoked session cannot connect, by ticket or by token', async (t) => {
  const gw = await listenGateway(t);
  const carol = identity();
  await gw.app.redis.set(revokedSessionKey(carol.sid), '1', 'EX', 30);
  t.teardown(() => gw.app.redis.del(revokedSessionKey(carol.sid)));
  const byTicket = await refusal(connect(`${gw.url}?ticket=${await carol.ticket(gw.app)}`));
  t.equal(byTicket.status, 401);
  t.equal(byTicket.body?.code, 'AUTH_SESSION_REVOKED');
  const byToken = await refusal(connect(gw.url, { protocols: ['bearer', carol.token] }));
  t.equal(byToken.status, 401);
  t.equal(byToken.body?.code, 'AUTH_SESSION_REVOKED');
  t.equal(gw.app.ws.registry.clients.size, 0);
});
