// Profile publishes profile.profile.updated through its outbox and consumes auth's user events
// through its inbox (a redelivered event has no second effect). The cache is invalidated after
// the handler's transaction committed (onOutcome), never before.
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import { eventsFastifyPlugin } from '@bank/events/plugin';
import { retentionFromConfig } from '@bank/events/retention';
import type { Db } from '@bank/kit';
import { userTag, type ReadCache } from './cache.ts';
import type { ProfileConfig } from './config.ts';
import { syncAccount } from './use-cases/profiles.ts';

export interface ProfileEventsOptions {
  config: ProfileConfig;
  cache: ReadCache;
  /** Tests publish as `guest`; production maps each source to its own RabbitMQ user. */
  userForSource?: (source: string) => string;
}

const plugin: FastifyPluginAsync<ProfileEventsOptions> = async (fastify, { config, cache, userForSource }) => {
  await fastify.register(eventsFastifyPlugin, {
    service: 'profile',
    url: config.RABBITMQ_URL,
    databaseUrl: config.DATABASE_URL,
    retention: retentionFromConfig(config),
    ...(config.EVENTS_PREFIX ? { prefix: config.EVENTS_PREFIX } : {}),
    handlers: {
      'auth.user.registered': async (event, tx) => syncAccount(tx as unknown as Db, event.data),
      'auth.user.updated': async (event, tx) => syncAccount(tx as unknown as Db, event.data),
    },
    consumer: {
      ...(userForSource ? { userForSource } : {}),
      onOutcome: (outcome) => {
        if (outcome.result !== 'processed') return;
        const userId = (outcome.event.data as { userId?: unknown }).userId;
        if (typeof userId !== 'string') return;
        cache.invalidateTags([userTag(userId)]).catch((err: unknown) => fastify.log.warn({ err, userId }, 'cache invalidation failed'));
      },
    },
  });
};

export const eventsForService = fp(plugin, { name: 'profile-events', dependencies: ['kit-db'] });
