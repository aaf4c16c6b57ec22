// Client messages: ping/pong, invalid and oversized frames, flooding; metrics.
import t from 'tap';
import { CloseCodes } from '../src/ws/close-codes.ts';
import { connectReady, identity, listenGateway, waitFor } from './ws-helper.ts';

t.test('ping is answered with pong (id echoed)', async (t) => {
  const gw = await listenGateway(t);
  const client = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  client.send({ type: 'ping', id: 'abc' });
  const pong = await client.next('pong');
  t.same(pong.payload, { id: 'abc' });
  t.match(pong.timestamp, /^\d{4}-\d\d-\d\dT/);
  client.socket.close();
});

t.test('invalid messages close the socket with 4400', async (t) => {
  const gw = await listenGateway(t);
  const cases: Array<[string, unknown]> = [
    ['not JSON', '{nope'],
    ['not an object', '[1,2]'],
    ['unknown type', { type: 'subscribe', room: 'role:admin' }],
    ['id too long', { type: 'ping', id: 'x'.repeat(65) }],
  ];
  for (const [label, frame] of cases) {
    const client = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
    client.send(frame);
    t.same(await client.closed, { code: CloseCodes.INVALID_MESSAGE, reason: 'invalid message' }, label);
  }
  const binary = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  binary.socket.send(Buffer.from('{"type":"ping"}'), { binary: true });
  t.equal((await binary.closed).code, CloseCodes.INVALID_MESSAGE, 'binary frames refused');
});

t.test('a message over 4 KB closes the socket with 1009', async (t) => {
  const gw = await listenGateway(t);
  const client = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  client.send({ type: 'ping', id: 'a', pad: 'x'.repeat(4096) });
  t.equal((await client.closed).code, CloseCodes.MESSAGE_TOO_BIG);
  // Just under the limit is fine.
  const ok = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  ok.send({ type: 'ping', pad: 'x'.repeat(4000) });
  await ok.next('pong');
  ok.socket.close();
});

t.test('more than 20 messages in a second closes the socket with 4408', async (t) => {
  const gw = await listenGateway(t);
  const polite = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  for (let i = 0; i < 20; i++) polite.send({ type: 'ping', id: String(i) });
  for (let i = 0; i < 20; i++) await polite.next('pong');
  t.equal(polite.socket.readyState, polite.socket.OPEN, '20 in a second are allowed');

  const flooder = await connectReady(gw.url, { protocols: ['bearer', identity().token] });
  for (let i = 0; i < 50; i++) flooder.send({ type: 'ping' });
  t.same(await flooder.closed, { code: CloseCodes.RATE_LIMITED, reason: 'too many messages' });
  t.equal(flooder.messages.filter((m) => m.type === 'pong').length, 20, 'only the allowed ones were answered');

  await waitFor(() => gw.app.ws.registry.clients.size === 1, 'the server side of the close');
  const metrics = (await gw.app.inject({ url: '/metrics' })).body;
  t.match(metrics, /ws_messages_in_total\{result="rate-limited"[^}]*\} [1-9]/);
  t.match(metrics, /ws_messages_in_total\{result="accepted"[^}]*\} [1-9]/);
  t.match(metrics, /ws_connections_open\{[^}]*\} 1\b/, 'the polite client is still connected');
  polite.socket.close();
});
