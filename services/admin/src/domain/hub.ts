// What the admin knows about the hub's topology: which services consume events (each has a
// `<service>.events` work queue and a `<service>.dlq`), from the one contracts module.
import { eventTypes, consumersOf, type EventType } from '@bank/events';

/**
 * Services that consume through durable queues, in a stable order: the queues the health page
 * and dead-letter tools list. The gateway is a consumer too, but through one exclusive,
 * auto-delete queue per replica (`gateway.ws.*`, its WebSocket bridge) — nothing durable to
 * inspect, no dead letters (undeliverable real-time messages are dropped and counted).
 */
export const TRANSIENT_CONSUMERS: ReadonlySet<string> = new Set(['gateway']);
export const CONSUMING_SERVICES: readonly string[] = [...new Set(eventTypes.flatMap((type) => [...consumersOf(type)]))]
  .filter((service) => !TRANSIENT_CONSUMERS.has(service))
  .sort();

/**
 * Events the audit log does not record: admin.audit.created (no longer published; rows of it
 * written before that change would only describe audit entries themselves).
 */
export const NOT_AUDITED: ReadonlySet<string> = new Set<EventType>(['admin.audit.created']);

export const AUDITED_TYPES: readonly EventType[] = eventTypes.filter((type) => !NOT_AUDITED.has(type));

export const isEventType = (type: string): type is EventType => (eventTypes as string[]).includes(type);
