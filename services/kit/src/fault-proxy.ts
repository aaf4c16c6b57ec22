// A TCP proxy for fault tests: put it between a service and a real PostgreSQL, Redis or RabbitMQ,
// then make that dependency "go down" for this one client without touching the shared server —
// `down()` drops every connection and refuses new ones, `up()` accepts again.
import { createServer, createConnection, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** `url` with its host:port replaced by the proxy's. */
  url(url: string): string;
  /** Drops every open connection (RST) and refuses new ones until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function createFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = createConnection(target);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        // Plain forwarding, no half-close: either side ending ends both (what a dead server does).
        client.on('data', (chunk) => upstream.write(chunk));
        upstream.on('data', (chunk) => client.write(chunk));
        for (const socket of [client, upstream]) socket.on('error', drop).on('end', drop).on('close', drop);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as { port: number }).port;
        server = s;
        resolve();
      });
    });

  const down = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.resetAndDestroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    url(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    down,
    up: async () => {
      if (!server) await listen();
    },
    close: down,
  };
}

/** A port on 127.0.0.1 where nothing listens (bound once, then released). */
export async function stoppedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as { port: number };
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
