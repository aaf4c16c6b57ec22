// A TCP proxy in front of PostgreSQL that counts round trips: a client write after an answer has
// been delivered to it (or the first one) opens a new one. Answers are held `answerDelayMs`, so a
// statement the client sends without waiting for the previous one's answer — pipelined — is
// counted with it even when a loaded machine delays its write by a few milliseconds.
import { createConnection, createServer, type Socket } from 'node:net';

export interface RoundTripCounter {
  /** `url` with its host:port replaced by the proxy's. */
  url(url: string): string;
  /** Round trips since the last reset. */
  readonly count: number;
  reset(): void;
  close(): Promise<void>;
}

export async function countRoundTrips(target: { host: string; port: number } = { host: '127.0.0.1', port: 5432 }, answerDelayMs = 50): Promise<RoundTripCounter> {
  let count = 0;
  let answered = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (answered) count += 1;
      answered = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      setTimeout(() => {
        answered = true;
        client.write(chunk);
      }, answerDelayMs);
    });
    const drop = () => {
      // (an answer still held is dropped with the sockets)
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) socket.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url(url: string) {
      const parsed = new URL(url);
      parsed.host = `127.0.0.1:${port}`;
      return parsed.toString();
    },
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
