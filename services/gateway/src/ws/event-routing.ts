// Which hub events reach which sockets, and as what message. Pure: the bridge validates the
// envelope first, then asks this module where it goes.
import type { AnyEventEnvelope, EventType } from '@bank/events';
import type { AccessClaims } from '@bank/kit';
import { Rooms } from './connections.ts';
import type { ServerMessage, ServerMessageType } from './messages.ts';

/** Hub event types the bridge queue is bound to. */
export const BRIDGED_EVENT_TYPES = [
  'payments.payment.created',
  'payments.payment.updated',
  'payments.payment.completed',
  'payments.payment.failed',
  'payments.payment.cancelled',
  'auth.session.revoked',
  'auth.user.updated',
  'admin.audit.created',
  'admin.config.updated',
] as const satisfies readonly EventType[];

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
    case 'admin.audit.created':
      return { rooms: [Rooms.admins], message: message(event, 'admin:audit-created', data) };
    case 'admin.config.updated':
      return { rooms: [Rooms.admins], message: message(event, 'admin:config-updated', data) };
    default:
      return undefined;
  }
}
