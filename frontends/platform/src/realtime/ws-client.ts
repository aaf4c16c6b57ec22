// WebSocket client for the gateway's /ws. The browser cannot send an Authorization header on a
// WebSocket, so each connection first fetches a short-lived single-use ticket. Reconnects with
// exponential backoff (1 s → 30 s, 10 attempts) and queues outgoing messages while offline.
export type RealtimeType =
  | 'payment:created' | 'payment:updated' | 'payment:completed' | 'payment:failed' | 'payment:cancelled'
  | 'session:revoked' | 'session:role-changed' | 'notification:new' | 'admin:audit-created' | 'admin:config-updated' | 'system:health';

export interface RealtimeMessage<P = unknown> {
  type: RealtimeType;
  payload: P;
  timestamp: string;
  correlationId?: string;
}

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';

export interface RealtimeClientOptions {
  getTicket: () => Promise<string>;
  url?: (ticket: string) => string;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxQueue?: number;
}

type Handler = (message: RealtimeMessage) => void;

export function backoffDelay(attempt: number, base = 1000, max = 30_000): number {
  return Math.min(max, base * 2 ** attempt);
}

function defaultUrl(ticket: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`;
}

export class RealtimeClient {
  #options: Required<RealtimeClientOptions>;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  #queue: string[] = [];
  #handlers = new Map<string, Set<Handler>>();
  #statusListeners = new Set<(s: RealtimeStatus) => void>();
  status: RealtimeStatus = 'idle';

  constructor(options: RealtimeClientOptions) {
    this.#options = { url: defaultUrl, maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 30_000, maxQueue: 100, ...options };
  }

  connect(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#attempt = 0;
    void this.#open();
  }

  disconnect(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'client closing');
    this.#socket = null;
    this.#setStatus('closed');
  }

  /** Subscribe to one message type, or '*' for all. Returns the unsubscribe function. */
  subscribe(type: RealtimeType | '*', handler: Handler): () => void {
    const set = this.#handlers.get(type) ?? new Set<Handler>();
    set.add(handler);
    this.#handlers.set(type, set);
    return () => set.delete(handler);
  }

  onStatus(listener: (s: RealtimeStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  send(type: string, payload: unknown): void {
    const data = JSON.stringify({ type, payload });
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(data);
    else if (this.#queue.length < this.#options.maxQueue) this.#queue.push(data);
  }

  #setStatus(status: RealtimeStatus): void {
    this.status = status;
    for (const listener of this.#statusListeners) listener(status);
  }

  async #open(): Promise<void> {
    if (this.#stopped) return;
    this.#setStatus(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    let ticket: string;
    try {
      ticket = await this.#options.getTicket();
    } catch {
      this.#scheduleReconnect();
      return;
    }
    if (this.#stopped) return;
    const socket = new WebSocket(this.#options.url(ticket));
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempt = 0;
      this.#setStatus('open');
      for (const data of this.#queue.splice(0)) socket.send(data);
    };
    socket.onmessage = (event) => this.#dispatch(event.data);
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // 1000 from our own disconnect(); 4401/4403 mean the session is gone: do not hammer.
      if (this.#stopped || event.code === 4401 || event.code === 4403) {
        this.#setStatus('closed');
        return;
      }
      this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    if (this.#attempt >= this.#options.maxAttempts) {
      this.#setStatus('failed');
      return;
    }
    const delay = backoffDelay(this.#attempt, this.#options.baseDelayMs, this.#options.maxDelayMs);
    this.#attempt += 1;
    this.#setStatus('reconnecting');
    this.#timer = setTimeout(() => void this.#open(), delay);
  }

  #dispatch(raw: unknown): void {
    if (typeof raw !== 'string') return;
    let message: RealtimeMessage;
    try {
      message = JSON.parse(raw) as RealtimeMessage;
    } catch {
      return;
    }
    if (!message || typeof message.type !== 'string') return;
    for (const key of [message.type, '*']) {
      for (const handler of this.#handlers.get(key) ?? []) handler(message);
    }
  }
}
