// Subscription `paymentUpdated` over graphql-ws, fed by the same hub event bridge as /ws: the
// gateway's WebSocket plugin hands every bridged event to its listeners (fastify.ws.onEvent), and
// payment events are published here on per-user topics (sender and recipient) and on the admins'
// topic — the same audience as /ws's rooms. The sockets follow the session like /ws: a revoked
// session, or a user whose role changed (their topics would be stale), is closed with 4403.
import type { AnyEventEnvelope } from '@bank/events';
import type { AccessClaims } from '@bank/kit';
import type WebSocket from 'ws';

export const PAYMENT_EVENT_TYPES: Record<string, string> = {
  'payments.payment.created': 'payment:created',
  'payments.payment.updated': 'payment:updated',
  'payments.payment.completed': 'payment:completed',
  'payments.payment.failed': 'payment:failed',
  'payments.payment.cancelled': 'payment:cancelled',
};

export const topics = {
  user: (userId: string) => `payments:user:${userId}`,
  admins: 'payments:admins',
};

/** graphql-ws's close code for an unauthorised socket ("Forbidden"). */
export const CLOSE_FORBIDDEN = 4403;

export interface PaymentEvent {
  type: string;
  paymentId: string;
  status: string | null;
  senderId: string;
  recipientId: string;
  amount: number | null;
  currency: string | null;
  occurredAt: string;
  eventId: string;
}

export interface Publication {
  topic: string;
  payload: { paymentUpdated: PaymentEvent };
}

/** The topics and payload one hub event is published as; [] for non-payment events. */
export function publicationsFor(event: AnyEventEnvelope): Publication[] {
  const type = PAYMENT_EVENT_TYPES[event.type];
  if (!type) return [];
  const data = event.data as Record<string, unknown>;
  const payment: PaymentEvent = {
    type,
    paymentId: String(data.paymentId),
    status: typeof data.status === 'string' ? data.status : null,
    senderId: String(data.senderId),
    recipientId: String(data.recipientId),
    amount: typeof data.amount === 'number' ? data.amount : null,
    currency: typeof data.currency === 'string' ? data.currency : null,
    occurredAt: event.occurredAt,
    eventId: event.id,
  };
  const audience = new Set([topics.user(payment.senderId), topics.user(payment.recipientId), topics.admins]);
  return [...audience].map((topic) => ({ topic, payload: { paymentUpdated: payment } }));
}

/** The topic a subscriber listens on: their own payments, or all of them for an admin. */
export const topicFor = (user: AccessClaims) => (user.role === 'ADMIN' ? topics.admins : topics.user(user.sub));

/** Open graphql-ws sockets by session and by user, to close them when the identity goes stale. */
export class SubscriptionSockets {
  readonly #bySession = new Map<string, Set<WebSocket>>();
  readonly #byUser = new Map<string, Set<WebSocket>>();
  readonly #claims = new WeakMap<WebSocket, AccessClaims>();

  add(socket: WebSocket, user: AccessClaims): void {
    this.#claims.set(socket, user);
    const index = (map: Map<string, Set<WebSocket>>, key: string) => {
      let set = map.get(key);
      if (!set) map.set(key, (set = new Set()));
      set.add(socket);
      socket.once('close', () => {
        set.delete(socket);
        if (set.size === 0) map.delete(key);
      });
    };
    index(this.#bySession, user.sid);
    index(this.#byUser, user.sub);
  }

  /** Closes the sockets an identity event makes stale; returns how many. */
  closeStale(event: AnyEventEnvelope): number {
    const data = event.data as Record<string, unknown>;
    let stale: WebSocket[] = [];
    if (event.type === 'auth.session.revoked') stale = [...(this.#bySession.get(String(data.sessionId)) ?? [])];
    // Any profile change emits auth.user.updated; only a new role makes the subscription's topic stale.
    else if (event.type === 'auth.user.updated') stale = [...(this.#byUser.get(String(data.userId)) ?? [])].filter((s) => this.#claims.get(s)?.role !== data.role);
    const reason = event.type === 'auth.session.revoked' ? 'Session revoked' : 'Role changed; reconnect';
    for (const socket of stale) socket.close(CLOSE_FORBIDDEN, reason);
    return stale.length;
  }

  get size(): number {
    let n = 0;
    for (const set of this.#bySession.values()) n += set.size;
    return n;
  }

  closeAll(code: number, reason: string): void {
    for (const set of this.#bySession.values()) for (const socket of set) socket.close(code, reason);
  }
}
