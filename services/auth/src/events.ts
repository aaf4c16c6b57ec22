// Auth publishes through its transactional outbox; the relay from @bank/events ships rows to
// RabbitMQ as the `auth` user (publisher confirms, per-aggregate order). Auth consumes nothing.
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { eventsFastifyPlugin } from '@bank/events/plugin';
import { retentionFromConfig } from '@bank/events/retention';
import type { AuthConfig } from './config.ts';

const plugin: FastifyPluginAsync<{ config: AuthConfig }> = async (fastify, { config }) => {
  await fastify.register(eventsFastifyPlugin, {
    service: 'auth',
    url: config.RABBITMQ_URL,
    databaseUrl: config.DATABASE_URL,
    retention: retentionFromConfig(config),
    ...(config.EVENTS_PREFIX ? { prefix: config.EVENTS_PREFIX } : {}),
  });
};

export const eventsForService = fp(plugin, { name: 'auth-events', dependencies: ['kit-db'] });
