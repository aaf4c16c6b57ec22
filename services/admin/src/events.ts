// Admin publishes admin.config.updated through its outbox and records EVERY event on the hub:
// its queue is bound with `#`, and each audited type has the same batch handler: the events of an
// inbox batch go into the audit log in one multi-row insert, in the inbox transaction (a
// redelivery is a no-op).
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { batchHandler, type EventHandlers, type SqlExecutor } from '@bank/events';
import { eventsFastifyPlugin } from '@bank/events/plugin';
import { retentionFromConfig } from '@bank/events/retention';
import type { Db } from '@bank/kit';
import type { AdminConfig } from './config.ts';
import { AUDITED_TYPES } from './domain/hub.ts';
import { recordEvents } from './use-cases/audit.ts';

export interface AdminEventsOptions {
  config: AdminConfig;
  /** Tests publish as `guest`; production maps each source to its own RabbitMQ user. */
  userForSource?: (source: string) => string;
}

// One function for every type, so consecutive events of different types share one insert.
const recordAudit = batchHandler<SqlExecutor>((events, tx) => recordEvents(tx as unknown as Db, events));
const auditHandlers: EventHandlers<SqlExecutor> = Object.fromEntries(AUDITED_TYPES.map((type) => [type, recordAudit]));

const plugin: FastifyPluginAsync<AdminEventsOptions> = async (fastify, { config, userForSource }) => {
  await fastify.register(eventsFastifyPlugin, {
    service: 'admin',
    url: config.RABBITMQ_URL,
    databaseUrl: config.DATABASE_URL,
    retention: retentionFromConfig(config),
    ...(config.EVENTS_PREFIX ? { prefix: config.EVENTS_PREFIX } : {}),
    handlers: auditHandlers,
    consumer: { types: ['#'], ...(userForSource ? { userForSource } : {}) },
  });
};

export const eventsForService = fp(plugin, { name: 'admin-events', dependencies: ['kit-db'] });
