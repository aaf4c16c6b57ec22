// Event replay by type and time range, FROM THE ADMIN'S OWN AUDIT LOG. The outbox history lives
// in each publisher's database, which the admin must not reach (one database per service); the
// audit log holds every event's full envelope (id, version, correlation, data), so a replay
// re-publishes exactly what was published. Events go to the target's work queue only (default
// exchange, routing key `<target>.events`), so other consumers are not disturbed, and the
// target's inbox makes an already processed event a no-op. The copy is published as the operator
// user with the source's user in x-original-user-id, which consumers trust from the operator.
import { amqpProperties, connectionUser, consumersOf, encodeEvent, ORIGINAL_USER_HEADER, queueNames, REPLAYED_AT_HEADER } from '@bank/events';
import type { AdminContext } from '../context.ts';
import { BrokerUnavailable, InvalidReplayTarget } from '../domain/errors.ts';
import { isEventType } from '../domain/hub.ts';
import { auditRowsForReplay, envelopeOf } from '../repositories/audit.ts';
import { assertRange } from './audit.ts';

export const REPLAY_LIMIT = 10_000;

export async function replayFromAudit(
  ctx: Pick<AdminContext, 'db' | 'broker' | 'config' | 'userForSource' | 'log'>,
  body: { type: string; from: string; to: string; target: string },
  actor: string,
) {
  assertRange(body.from, body.to);
  if (!isEventType(body.type) || !consumersOf(body.type).includes(body.target)) {
    throw InvalidReplayTarget(`${body.target} does not consume ${body.type}`);
  }
  if (!ctx.broker.ready) throw BrokerUnavailable('The RabbitMQ connection is not ready; try again shortly');
  const rows = await auditRowsForReplay(ctx.db, { ...body, limit: REPLAY_LIMIT });
  const user = connectionUser(ctx.broker);
  const routingKey = queueNames(body.target, { prefix: ctx.config.EVENTS_PREFIX }).work;
  const replayedAt = new Date().toISOString();
  const publisher = ctx.broker.createPublisher({ confirm: true, maxAttempts: 3 });
  const eventIds: string[] = [];
  try {
    for (const row of rows) {
      const event = envelopeOf(row);
      const headers = { [REPLAYED_AT_HEADER]: replayedAt, [ORIGINAL_USER_HEADER]: ctx.userForSource(event.source) };
      await publisher.send({ exchange: '', routingKey, ...amqpProperties(event, user, headers) }, encodeEvent(event));
      eventIds.push(event.id);
    }
  } finally {
    await publisher.close();
  }
  ctx.log.info({ ...body, replayed: eventIds.length, actor }, 'events replayed from the audit log');
  return { replayed: eventIds.length, eventIds, truncated: rows.length === REPLAY_LIMIT };
}
