// Dead-letter browsing and replay through the event hub's tools, on the operator connection.
// Listing never loses a message: they are fetched unacknowledged and released in order.
import { listDeadLetters, replayDeadLetters, type DeadLetter } from '@bank/events';
import type { AdminContext } from '../context.ts';
import { BrokerUnavailable } from '../domain/errors.ts';
import { CONSUMING_SERVICES } from '../domain/hub.ts';

const view = (queue: string, d: DeadLetter) => ({
  id: d.eventId,
  queue,
  type: d.type,
  reason: d.reason,
  detail: d.detail,
  failedAt: d.deadLetteredAt,
  retries: d.retries,
  publishedBy: d.publishedBy,
  payload: d.body,
});

function assertBroker(ctx: Pick<AdminContext, 'broker'>) {
  if (!ctx.broker.ready) throw BrokerUnavailable('The RabbitMQ connection is not ready; try again shortly');
}

export async function browseDeadLetters(ctx: Pick<AdminContext, 'broker' | 'config'>, q: { queue?: string; limit: number }) {
  assertBroker(ctx);
  const services = q.queue ? [q.queue] : CONSUMING_SERVICES;
  const items = [];
  for (const service of services) {
    const letters: DeadLetter[] = await listDeadLetters(ctx.broker, { service, prefix: ctx.config.EVENTS_PREFIX, limit: q.limit - items.length }).catch((err: unknown) => {
      // A service that has not started yet has no DLQ: nothing dead-lettered there.
      if ((err as { code?: string }).code === 'NOT_FOUND') return [];
      throw err;
    });
    items.push(...letters.map((d) => view(service, d)));
    if (items.length >= q.limit) break;
  }
  return { items };
}

export async function replayDeadLettersOf(ctx: Pick<AdminContext, 'broker' | 'config' | 'log'>, body: { queue: string; ids?: string[] }, actor: string) {
  assertBroker(ctx);
  const result = await replayDeadLetters(ctx.broker, { service: body.queue, prefix: ctx.config.EVENTS_PREFIX, ...(body.ids ? { ids: body.ids } : {}) }).catch(
    (err: unknown) => {
      if ((err as { code?: string }).code === 'NOT_FOUND') return { replayed: 0, eventIds: [] };
      throw err;
    },
  );
  ctx.log.info({ queue: body.queue, replayed: result.replayed, actor }, 'dead letters replayed');
  return result;
}
