// The admin service as a plugin: infrastructure clients → application context → routes.
// Every route is ADMIN only.
import type { FastifyPluginAsync } from 'fastify';
import { accessToken, database, openApi, redis } from '@bank/kit';
import type { AdminConfig } from './config.ts';
import type { AdminContext } from './context.ts';
import * as schema from './db/schema.ts';
import { migrationsFolder } from './db/migrate-cli.ts';
import { eventsForService } from './events.ts';
import { analyticsRoutes } from './routes/analytics.ts';
import { auditRoutes } from './routes/audit.ts';
import { configRoutes } from './routes/config.ts';
import { internalConfigRoutes, publicConfigRoutes } from './routes/config-read.ts';
import { monitoringRoutes } from './routes/monitoring.ts';
import { operationRoutes } from './routes/operations.ts';
import { userRoutes } from './routes/users.ts';
import { startMetricsCollector } from './use-cases/monitoring-collector.ts';

export interface AdminAppOptions {
  config: AdminConfig;
  /** Tests verify tokens with a generated key instead of auth's JWKS. */
  publicKey?: string;
  /** Tests publish every event as `guest`. Default: each source's own RabbitMQ user (its name). */
  userForSource?: (source: string) => string;
}

const app: FastifyPluginAsync<AdminAppOptions> = async (fastify, { config, publicKey, userForSource }) => {
  // 1. infrastructure
  await fastify.register(redis, { url: config.REDIS_URL, name: 'admin' });
  await fastify.register(database, {
    url: config.DATABASE_URL,
    schema,
    ...(config.MIGRATE_ON_START ? { migrationsFolder, migrationLockName: 'admin-migrations' } : {}),
  });
  await fastify.register(eventsForService, { config, ...(userForSource ? { userForSource } : {}) });
  await fastify.register(openApi, { title: 'Admin API', prefix: '/admin' });
  await fastify.register(accessToken, { ...(publicKey ? { publicKey } : { jwksUrl: config.AUTH_JWKS_URL }), redis: fastify.redis });

  // 2. application context
  const ctx: AdminContext = {
    db: fastify.db,
    config,
    broker: fastify.events.connection,
    ownChecks: () => fastify.health.run(),
    userForSource: userForSource ?? ((source) => source),
    log: fastify.log,
  };
  // Native mode: the admin scrapes every service itself; with Prometheus the page queries it instead.
  const collector = config.PROMETHEUS_URL ? undefined : startMetricsCollector(ctx);
  if (collector) fastify.addHook('onClose', async () => collector.stop());

  // 3. routes, all under /admin (the gateway maps /api/admin/* here), ADMIN only…
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', scope.authenticate);
      scope.addHook('onRequest', scope.requireRole('ADMIN'));
      await scope.register(auditRoutes, { ctx });
      await scope.register(configRoutes, { ctx });
      await scope.register(userRoutes, { ctx });
      await scope.register(operationRoutes, { ctx });
      await scope.register(monitoringRoutes, { ctx, collector });
    },
    { prefix: '/admin' },
  );
  // …except reporting front-end analytics, which every signed-in user's browser does.
  await fastify.register(analyticsRoutes, { ctx, prefix: '/admin' });
  // …and the configuration reads of the shell (public keys) and of the services (internal).
  await fastify.register(publicConfigRoutes, { ctx, prefix: '/admin' });
  await fastify.register(internalConfigRoutes, { ctx, prefix: '/internal' });
};

export default app;
