// WebSocket clients against the running platform: wss://localhost:8443/ws through nginx (TLS,
// self-signed certificate accepted), authenticated with a fresh single-use ticket.
import WebSocket from 'ws';
import { api, PLATFORM_URL, type Session } from './helper.ts';

export const WS_URL = `${PLATFORM_URL.replace(/^http/, 'ws')}/ws`;

export interface ServerMessage {
  type: string;
  payload: Record<string, unknown>;
  timestamp: string;
  correlationId: string | null;
}

export interface RealtimeClient {
  socket: WebSocket;
  messages: ServerMessage[];
  /** Resolves with the first message (already received or coming) matching `match`. */
  next(match: (m: ServerMessage) => boolean, timeoutMs?: number, what?: string): Promise<ServerMessage>;
  closed: Promise<{ code: number; reason: string; at: number }>;
  close(): void;
}

export async function ticketFor(session: Pick<Session, 'accessToken'>): Promise<string> {
  const res = await api('POST', '/api/auth/ws-ticket', { token: session.accessToken });
  if (res.status !== 200) throw new Error(`ws-ticket failed: ${res.status} ${res.text}`);
  return res.body.ticket as string;
}

/** Opens a socket; rejects with `{status}` when the upgrade is refused. */
export function openSocket(url: string, protocols?: string[]): Promise<RealtimeClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { rejectUnauthorized: false });
    const messages: ServerMessage[] = [];
    const waiters = new Set<() => void>();
    socket.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as ServerMessage);
      for (const w of [...waiters]) w();
    });
    const closed = new Promise<{ code: number; reason: string; at: number }>((r) => socket.on('close', (code, reason) => r({ code, reason: String(reason), at: Date.now() })));
    const client: RealtimeClient = {
      socket,
      messages,
      closed,
      close: () => socket.close(),
      next(match, timeoutMs = 10_000, what = 'message') {
        return new Promise((res, rej) => {
          const check = () => {
            const found = messages.find(match);
            if (!found) return;
            waiters.delete(check);
            clearTimeout(timer);
            res(found);
          };
          const timer = setTimeout(() => {
            waiters.delete(check);
            rej(new Error(`no ${what} within ${timeoutMs} ms; got: ${messages.map((m) => m.type).join(', ') || 'nothing'}`));
          }, timeoutMs);
          waiters.add(check);
          check();
        });
      },
    };
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (req, res) => {
      // With this listener ws leaves the HTTP exchange open: end it, or the connection idles until nginx's keepalive timeout.
      req.destroy();
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
    });
    socket.once('error', reject);
  });
}

/** Ticket → socket → `welcome` (the socket is in its rooms once the greeting arrives). */
export async function connectAs(session: Pick<Session, 'accessToken'>): Promise<RealtimeClient> {
  const client = await openSocket(`${WS_URL}?ticket=${await ticketFor(session)}`);
  await client.next((m) => m.type === 'welcome', 5_000, 'welcome');
  return client;
}

export const refusedStatus = (p: Promise<unknown>) => p.then(() => 0, (err: { status?: number }) => err.status ?? -1);
