// Auth publishes through its outbox; the relay (from @bank/events) ships rows to RabbitMQ.
// Auth consumes nothing.
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { AuthConfig } from './config.ts';

const plugin: FastifyPluginAsync<{ config: AuthConfig }> = async () => {
  // wired to @bank/events' relay plugin once it lands
};

export const eventsForService = fp(plugin, { name: 'auth-events' });
