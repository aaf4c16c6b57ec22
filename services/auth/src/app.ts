// The auth service as a plugin: infrastructure clients → application context → routes.
import type { FastifyPluginAsync } from 'fastify';
import { accessToken, database, openApi, redis } from '@bank/kit';
import type { AuthConfig } from './config.ts';
import type { AuthContext } from './context.ts';
import * as schema from './db/schema.ts';
import { migrationsFolder } from './db/migrate-cli.ts';
import { seedDemoUsers } from './db/seed.ts';
import { createLoginThrottle } from './domain/login-throttle.ts';
import { createAccessTokenSigner, loadSigningKey, type SigningKey } from './domain/tokens.ts';
import { authRoutes } from './routes/auth.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { userRoutes } from './routes/users.ts';
import { eventsForService } from './events.ts';
import { startSessionActivityFlusher } from './use-cases/session-activity.ts';

export interface AuthAppOptions {
  config: AuthConfig;
  /** Tests inject a generated key instead of reading JWT_PRIVATE_KEY_FILE. */
  signingKey?: SigningKey;
}

const app: FastifyPluginAsync<AuthAppOptions> = async (fastify, { config, signingKey }) => {
  const key = signingKey ?? loadSigningKey(config.JWT_PRIVATE_KEY_FILE);

  // 1. infrastructure
  await fastify.register(redis, { url: config.REDIS_URL, name: 'auth' });
  await fastify.register(database, {
    url: config.DATABASE_URL,
    schema,
    ...(config.MIGRATE_ON_START ? { migrationsFolder, migrationLockName: 'auth-migrations' } : {}),
  });
  await fastify.register(eventsForService, { config });
  await fastify.register(openApi, { title: 'Auth API', prefix: '/auth' });
  // Auth verifies its own tokens with its own public key (no JWKS round trip to itself).
  await fastify.register(accessToken, { publicKey: key.publicPem, redis: fastify.redis });

  // 2. application context
  const ctx: AuthContext = {
    db: fastify.db,
    redis: fastify.redis,
    config,
    key,
    signAccessToken: createAccessTokenSigner(key, config.ACCESS_TOKEN_TTL_SECONDS),
    loginThrottle: createLoginThrottle(fastify.redis, {
      freePerAccountAddress: config.LOGIN_THROTTLE_FREE_PER_ACCOUNT_ADDRESS,
      freePerAddress: config.LOGIN_THROTTLE_FREE_PER_ADDRESS,
      baseDelaySeconds: config.LOGIN_THROTTLE_BASE_DELAY_SECONDS,
      maxDelaySeconds: config.LOGIN_THROTTLE_MAX_DELAY_SECONDS,
      forgetAfterSeconds: config.LOGIN_THROTTLE_FORGET_AFTER_SECONDS,
      addressWindowSeconds: config.LOGIN_THROTTLE_ADDRESS_WINDOW_SECONDS,
    }),
    log: fastify.log,
  };
  if (config.SEED_DEMO_USERS) fastify.addHook('onReady', () => seedDemoUsers(ctx));
  if (config.SESSION_ACTIVITY_FLUSH_INTERVAL_MS > 0) {
    let flusher: ReturnType<typeof startSessionActivityFlusher> | undefined;
    fastify.addHook('onReady', async () => {
      flusher = startSessionActivityFlusher(ctx, config.SESSION_ACTIVITY_FLUSH_INTERVAL_MS);
    });
    // preClose: Redis and the database are still open for the last flush.
    fastify.addHook('preClose', async () => {
      await flusher?.stop();
    });
  }

  // 3. routes, all under /auth (the gateway maps /api/auth/* here)
  await fastify.register(
    async (scope) => {
      await scope.register(authRoutes, { ctx });
      await scope.register(sessionRoutes, { ctx });
      await scope.register(userRoutes, { ctx });
    },
    { prefix: '/auth' },
  );
};

export default app;
