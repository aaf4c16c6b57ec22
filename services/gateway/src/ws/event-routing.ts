// Which hub events reach which sockets, and as what message. Pure: the bridge validates the
// envelope first, then asks this module where it goes.
// Admins' live audit views: admin records every event in its audit log, and the gateway announces
// each of those events to the admins room as `admin:audit-created` from the original event —
// admin does not re-publish an `admin.audit.created` per entry (that doubled the hub's traffic).
import { typesConsumedBy, type AnyEventEnvelope, type EventType } from '@bank/events';
import type { AccessClaims } from '@bank/kit';
import { Rooms } from './connections.ts';
import type { ServerMessage, ServerMessageType } from './messages.ts';

/**
 * Hub event types the bridge queue is bound to: the catalogue's types consumed by `gateway` —
 * every audited type (for `admin:audit-created`), some of which also go to users.
 */
export const BRIDGED_EVENT_TYPES: readonly EventType[] = typesConsumedBy('gateway');

export interface Delivery {
  rooms: string[];
  message: ServerMessage;
  /** Sessions whose sockets are closed (4409) after the message is sent. */
  closeSessions?: string[];
  /** The user's role now: their sockets leave or join the role rooms before the message is sent. */
  roleChange?: { userId: string; role: AccessClaims['role'] };
}

const paymentMessage: Record<string, ServerMessageType> = {
  'payments.payment.created': 'payment:created',
  'payments.payment.updated': 'payment:updated',
  'payments.payment.completed': 'payment:completed',
  'payments.payment.failed': 'payment:failed',
  'payments.payment.cancelled': 'payment:cancelled',
};

const message = (event: AnyEventEnvelope, type: ServerMessageType, payload: Record<string, unknown>): ServerMessage => ({
  type,
  payload: { ...payload, eventId: event.id },
  timestamp: event.occurredAt,
  correlationId: event.correlationId,
});

/**
 * The audit announcement of an event: admin records every bridged event in its audit log (once,
 * by event id). Sent when the gateway receives the event, which may be just before admin's inbox
 * transaction commits: clients re-fetch the log on it, and the entry is there within admin's
 * consumer latency (docs/websocket.md).
 */
export function auditAnnouncement(event: AnyEventEnvelope): Delivery {
  const userId = (event.data as { userId?: unknown }).userId;
  return {
    rooms: [Rooms.admins],
    message: message(event, 'admin:audit-created', { eventType: event.type, source: event.source, userId: typeof userId === 'string' ? userId : null }),
  };
}

/** Every delivery of an event: its own message (if any), then the audit announcement to admins. */
export function deliveriesOf(event: AnyEventEnvelope): Delivery[] {
  const own = routeEvent(event);
  return own ? [own, auditAnnouncement(event)] : [auditAnnouncement(event)];
}

/** The event's own message (payments, sessions, roles, configuration); undefined when it has none. */
export function routeEvent(event: AnyEventEnvelope): Delivery | undefined {
  const data = event.data as Record<string, unknown>;
  const paymentType = paymentMessage[event.type];
  if (paymentType) {
    const { userId: _owner, ...payment } = data;
    const rooms = [Rooms.user(String(data.senderId)), Rooms.admins];
    if (data.recipientId !== data.senderId) rooms.push(Rooms.user(String(data.recipientId)));
    return { rooms, message: message(event, paymentType, payment) };
  }
  switch (event.type) {
    case 'auth.session.revoked': {
      const sessionId = String(data.sessionId);
      return {
        rooms: [Rooms.session(sessionId)],
        message: message(event, 'session:revoked', { sessionId, reason: data.reason }),
        closeSessions: [sessionId],
      };
    }
    case 'auth.user.updated': {
      // Every profile/role/status change of a user; only the role matters to the rooms. The
      // user's sockets are told their role (a UI refreshes its token to match).
      const userId = String(data.userId);
      const role = data.role as AccessClaims['role'];
      return {
        rooms: [Rooms.user(userId)],
        message: message(event, 'session:role-changed', { role }),
        roleChange: { userId, role },
      };
    }
    case 'admin.config.updated':
      return { rooms: [Rooms.admins], message: message(event, 'admin:config-updated', data) };
    default:
      return undefined;
  }
}
