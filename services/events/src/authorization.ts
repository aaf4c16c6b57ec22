// Who may have published a received event. RabbitMQ validates the AMQP user-id property against
// the publishing connection's user, so `msg.userId` is trustworthy when present. A consumer
// accepts an event only when (1) its source may publish that type and (2) the publishing user is
// the source's RabbitMQ user. Messages we (or an operator tool) re-published — retries,
// dead-letter replays — carry the original publisher in a header, which is trusted only when the
// re-publisher itself is ourselves or a trusted operator user.
import type { AsyncMessage, SyncMessage } from 'rabbitmq-client';
import { mayPublish } from './contracts.ts';
import { checkEvent, type AnyEventEnvelope } from './envelope.ts';
import { decodeBody, ORIGINAL_USER_HEADER } from './message.ts';

export interface AuthorizationOptions {
  /** RabbitMQ user of the consuming connection (re-publishes its own retries). */
  ownUser: string;
  /** RabbitMQ user expected for each source (default: the source's name, e.g. `auth`). */
  userForSource: (source: string) => string;
  /** Other users allowed to re-publish on a source's behalf (the admin/operator replay tools). */
  trustedRepublishers: readonly string[];
}

export type AuthorizationResult = { ok: true; publisher: string } | { ok: false; detail: string };

export function publishingUser(msg: Pick<AsyncMessage | SyncMessage, 'userId' | 'headers'>, opts: AuthorizationOptions): string | undefined {
  const original = msg.headers?.[ORIGINAL_USER_HEADER];
  const republisher = msg.userId;
  if (typeof original === 'string' && original !== '' && republisher !== undefined) {
    if (republisher === opts.ownUser || opts.trustedRepublishers.includes(republisher)) return original;
  }
  return republisher;
}

export function authorise(event: AnyEventEnvelope, msg: Pick<AsyncMessage | SyncMessage, 'userId' | 'headers'>, opts: AuthorizationOptions): AuthorizationResult {
  if (!mayPublish(event.source, event.type)) {
    return { ok: false, detail: `source ${event.source} may not publish ${event.type}` };
  }
  const publisher = publishingUser(msg, opts);
  const expected = opts.userForSource(event.source);
  if (publisher !== expected) {
    return { ok: false, detail: `published by user ${publisher ?? '(none)'}, source ${event.source} requires user ${expected}` };
  }
  return { ok: true, publisher };
}

export type DeliveredEventResult =
  | { ok: true; event: AnyEventEnvelope }
  | { ok: false; reason: 'invalid-event' | 'unauthorised-source'; detail: string };

/**
 * Reads a delivery for a subscriber without an inbox (the gateway's socket bridge and revocation
 * set): JSON, a valid envelope, and a publisher allowed to send it — or why it is to be dropped.
 */
export function readDeliveredEvent(msg: Pick<AsyncMessage, 'body' | 'userId' | 'headers'>, opts: AuthorizationOptions): DeliveredEventResult {
  let body: unknown;
  try {
    body = decodeBody(msg.body);
  } catch {
    return { ok: false, reason: 'invalid-event', detail: 'body is not JSON' };
  }
  const check = checkEvent(body);
  if (!check.ok) return { ok: false, reason: 'invalid-event', detail: `${check.reason}: ${check.detail}` };
  const allowed = authorise(check.event, msg, opts);
  if (!allowed.ok) return { ok: false, reason: 'unauthorised-source', detail: allowed.detail };
  return { ok: true, event: check.event };
}
