// The profile service as a plugin: infrastructure clients → application context → routes.
import type { FastifyPluginAsync } from 'fastify';
import { accessToken, database, openApi, redis } from '@bank/kit';
import { profileCache, type ReadCache } from './cache.ts';
import type { ProfileConfig } from './config.ts';
import type { ProfileContext } from './context.ts';
import * as schema from './db/schema.ts';
import { migrationsFolder } from './db/migrate-cli.ts';
import { eventsForService } from './events.ts';
import { profileRoutes } from './routes/profile.ts';

export interface ProfileAppOptions {
  config: ProfileConfig;
  /** Tests verify tokens with a generated key instead of auth's JWKS. */
  publicKey?: string;
  /** Tests publish every event as `guest`. */
  userForSource?: (source: string) => string;
}

const app: FastifyPluginAsync<ProfileAppOptions> = async (fastify, { config, publicKey, userForSource }) => {
  // 1. infrastructure
  await fastify.register(redis, { url: config.REDIS_URL, name: 'profile' });
  await fastify.register(database, {
    url: config.DATABASE_URL,
    schema,
    ...(config.MIGRATE_ON_START ? { migrationsFolder, migrationLockName: 'profile-migrations' } : {}),
  });
  const cache: ReadCache = profileCache(fastify.redis, fastify.log);
  await fastify.register(eventsForService, { config, cache, ...(userForSource ? { userForSource } : {}) });
  await fastify.register(openApi, { title: 'Profile API', prefix: '/profile' });
  await fastify.register(accessToken, { ...(publicKey ? { publicKey } : { jwksUrl: config.AUTH_JWKS_URL }), redis: fastify.redis });

  // 2. application context
  const ctx: ProfileContext = { db: fastify.db, cache, config, log: fastify.log };

  // 3. routes, all under /profile (the gateway maps /api/profile/* here)
  await fastify.register(profileRoutes, { ctx, prefix: '/profile' });
};

export default app;
