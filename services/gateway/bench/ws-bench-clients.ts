// Client side of the WebSocket benchmark, run as a forked child (several in parallel) so the
// clients do not share the gateway's event loop. Opens sockets, timestamps every message on
// arrival, and reports to the parent over IPC. 127.0.0.1 only.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

type Command =
  | { cmd: 'connect'; url: string; tokens?: string[]; count: number; concurrency: number }
  | { cmd: 'report' }
  | { cmd: 'close' };

const now = () => performance.timeOrigin + performance.now();
const sockets: WebSocket[] = [];
/** broadcast seq → latencies (ms) observed by this worker */
const broadcast = new Map<number, number[]>();
/** targeted deliveries: [eventId, receivedAt] */
const targeted: Array<[string, number]> = [];

function onMessage(data: WebSocket.RawData) {
  const receivedAt = now();
  const message = JSON.parse(String(data)) as { type: string; payload: { seq?: number; sentAt?: number; eventId?: string } };
  if (message.type === 'system:health' && message.payload.seq !== undefined) {
    let list = broadcast.get(message.payload.seq);
    if (!list) broadcast.set(message.payload.seq, (list = []));
    list.push(receivedAt - message.payload.sentAt!);
  } else if (message.type === 'payment:updated' && message.payload.eventId) {
    targeted.push([message.payload.eventId, receivedAt]);
  }
}

function open(url: string, token: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, token ? ['bearer', token] : undefined, { perMessageDeflate: false, handshakeTimeout: 30_000 });
    socket.on('message', onMessage);
    socket.once('open', () => {
      sockets.push(socket);
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('unexpected-response', () => resolve(false));
  });
}

process.on('message', async (command: Command) => {
  if (command.cmd === 'connect') {
    let next = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: command.concurrency }, async () => {
        while (next < command.count) {
          const i = next++;
          if (!(await open(command.url, command.tokens?.[i]))) failed += 1;
        }
      }),
    );
    process.send!({ evt: 'connected', ok: command.count - failed, failed, ms: performance.now() - started });
  } else if (command.cmd === 'report') {
    process.send!({ evt: 'report', broadcast: [...broadcast.entries()], targeted: targeted.splice(0) });
    broadcast.clear();
  } else if (command.cmd === 'close') {
    await Promise.all(
      sockets.splice(0).map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.readyState === WebSocket.CLOSED) return resolve();
            s.once('close', () => resolve());
            s.close();
            setTimeout(() => {
              s.terminate();
              resolve();
            }, 5_000).unref();
          }),
      ),
    );
    process.send!({ evt: 'closed' });
  }
});
