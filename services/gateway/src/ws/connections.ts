// The sockets connected to THIS gateway process and the rooms they are in. Rooms are derived from
// the verified identity at connection time: `user:<id>`, `session:<sid>`, `role:admin` (admins),
// and `broadcast` (everyone). Delivery serialises a message once and writes the same bytes to
// every socket; a socket appears once per delivery even when it is in several target rooms.
import WebSocket from 'ws';
import type { AccessClaims } from '@bank/kit';
import { HEARTBEAT_SLICES } from './heartbeat.ts';
import type { WsMetrics } from './metrics.ts';

export const Rooms = {
  user: (id: string) => `user:${id}`,
  session: (sid: string) => `session:${sid}`,
  admins: 'role:admin',
  broadcast: 'broadcast',
} as const;

export interface WsClient {
  readonly socket: WebSocket;
  readonly userId: string;
  readonly sessionId: string;
  /** Changes when the user's role does (auth.user.updated, or the heartbeat's marker sweep). */
  role: AccessClaims['role'];
  rooms: readonly string[];
  /** When the unanswered ping went out (epoch ms); 0 once the pong arrived. */
  pingSentAt: number;
  /** Which tick of the staggered heartbeat pings this socket. */
  readonly heartbeatSlot: number;
  /** Client-message rate window (fixed, one second). */
  windowStartedAt: number;
  windowCount: number;
}

export function roomsFor(claims: AccessClaims): string[] {
  const rooms = [Rooms.user(claims.sub), Rooms.session(claims.sid), Rooms.broadcast];
  if (claims.role === 'ADMIN') rooms.push(Rooms.admins);
  return rooms;
}

export class ConnectionRegistry {
  readonly clients = new Set<WsClient>();
  private readonly rooms = new Map<string, Set<WsClient>>();
  private readonly metrics: WsMetrics;
  private readonly maxBufferedBytes: number;
  private added = 0;

  constructor(opts: { metrics: WsMetrics; maxBufferedBytes: number }) {
    this.metrics = opts.metrics;
    this.maxBufferedBytes = opts.maxBufferedBytes;
  }

  add(socket: WebSocket, claims: AccessClaims): WsClient {
    const client: WsClient = {
      socket,
      userId: claims.sub,
      sessionId: claims.sid,
      role: claims.role,
      rooms: roomsFor(claims),
      pingSentAt: 0,
      heartbeatSlot: this.added++ % HEARTBEAT_SLICES,
      windowStartedAt: 0,
      windowCount: 0,
    };
    this.clients.add(client);
    for (const room of client.rooms) this.join(client, room);
    this.metrics.open.inc();
    return client;
  }

  /** Moves every socket of `userId` into the rooms of `role`; returns how many sockets changed. */
  setRole(userId: string, role: AccessClaims['role']): number {
    let changed = 0;
    for (const client of [...this.members(Rooms.user(userId))]) {
      if (client.role === role) continue;
      const next = roomsFor({ sub: client.userId, sid: client.sessionId, role });
      for (const room of client.rooms) if (!next.includes(room)) this.leave(client, room);
      for (const room of next) if (!client.rooms.includes(room)) this.join(client, room);
      client.role = role;
      client.rooms = next;
      changed += 1;
    }
    return changed;
  }

  private join(client: WsClient, room: string): void {
    let members = this.rooms.get(room);
    if (!members) this.rooms.set(room, (members = new Set()));
    members.add(client);
  }

  private leave(client: WsClient, room: string): void {
    const members = this.rooms.get(room);
    members?.delete(client);
    if (members?.size === 0) this.rooms.delete(room);
  }

  remove(client: WsClient): void {
    if (!this.clients.delete(client)) return;
    for (const room of client.rooms) this.leave(client, room);
    this.metrics.open.dec();
  }

  members(room: string): ReadonlySet<WsClient> {
    return this.rooms.get(room) ?? new Set();
  }

  /** Distinct clients in any of `rooms`. `broadcast` short-circuits to every client. */
  recipients(rooms: readonly string[]): Iterable<WsClient> {
    if (rooms.includes(Rooms.broadcast)) return this.clients;
    if (rooms.length === 1) return this.members(rooms[0]!);
    const unique = new Set<WsClient>();
    for (const room of rooms) for (const client of this.members(room)) unique.add(client);
    return unique;
  }

  /** Writes pre-serialised `bytes` to each recipient; returns how many sockets got it. */
  deliver(rooms: readonly string[], bytes: Buffer, type: string): number {
    let sent = 0;
    let backpressure = 0;
    let closed = 0;
    for (const client of this.recipients(rooms)) {
      const outcome = this.write(client, bytes);
      if (outcome === 'sent') sent += 1;
      else if (outcome === 'backpressure') backpressure += 1;
      else closed += 1;
    }
    // One counter update per delivery, not per socket: cheap even for a 10k-socket broadcast.
    if (sent) this.metrics.messagesOut.inc({ type }, sent);
    if (backpressure) this.metrics.dropped.inc({ reason: 'backpressure' }, backpressure);
    if (closed) this.metrics.dropped.inc({ reason: 'closed' }, closed);
    return sent;
  }

  /** Sends to one client, counting it. */
  sendTo(client: WsClient, bytes: Buffer, type: string): boolean {
    const outcome = this.write(client, bytes);
    if (outcome === 'sent') this.metrics.messagesOut.inc({ type });
    else this.metrics.dropped.inc({ reason: outcome });
    return outcome === 'sent';
  }

  private write(client: WsClient, bytes: Buffer): 'sent' | 'backpressure' | 'closed' {
    if (client.socket.readyState !== WebSocket.OPEN) return 'closed';
    // A client that does not read must not make the gateway buffer without bound.
    if (client.socket.bufferedAmount > this.maxBufferedBytes) return 'backpressure';
    client.socket.send(bytes, { binary: false });
    return 'sent';
  }
}
