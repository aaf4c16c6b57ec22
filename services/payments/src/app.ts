// The payments service as a plugin: infrastructure clients → application context → routes,
// plus the simulated processor's worker.
import type { FastifyPluginAsync } from 'fastify';
import { createCache } from '@bank/cache';
import { accessToken, database, openApi, redis } from '@bank/kit';
import type { PaymentsConfig } from './config.ts';
import type { PaymentsContext } from './context.ts';
import * as schema from './db/schema.ts';
import { migrationsFolder, MIGRATION_LOCK } from './db/migrate-cli.ts';
import { eventsForService } from './events.ts';
import { startProcessorWorker, type ProcessorWorker } from './processor/worker.ts';
import { paymentRoutes } from './routes/payments.ts';
import { createRuntimeConfig, type RuntimeConfig } from './runtime-config.ts';
import { scheduleRoutes } from './routes/schedules.ts';
import { startScheduler, type Scheduler } from './scheduler/worker.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The simulated processor's worker (undefined when PROCESSOR_ENABLED=false). */
    processor: ProcessorWorker | undefined;
    /** Catalogue configuration applied live (limits, maintenance, processor delay and rule). */
    runtimeConfig: RuntimeConfig;
    /** The scheduled/recurring payments scheduler (undefined when SCHEDULER_ENABLED=false). */
    scheduler: Scheduler | undefined;
  }
}

export interface PaymentsAppOptions {
  config: PaymentsConfig;
  /** Tests verify tokens with a generated key instead of auth's JWKS. */
  publicKey?: string;
  /** Tests publish every event as the `guest` RabbitMQ user. */
  eventsUserForSource?: (source: string) => string;
}

const app: FastifyPluginAsync<PaymentsAppOptions> = async (fastify, { config, publicKey, eventsUserForSource }) => {
  // 1. infrastructure
  await fastify.register(redis, { url: config.REDIS_URL, name: 'payments' });
  await fastify.register(database, {
    url: config.DATABASE_URL,
    schema,
    // The hot path's statements are prepared (@bank/kit clientOf); changeStatuses and
    // scheduleFirstSteps join payments to a JSON list, whose generic plan — made once per
    // connection, while the table may be nearly empty — is a sequential scan of payments. Planned
    // per execution they use its primary key; the parse and the extra round trip are still saved.
    customPlans: true,
    ...(config.MIGRATE_ON_START ? { migrationsFolder, migrationLockName: MIGRATION_LOCK } : {}),
  });
  const settings = createRuntimeConfig({
    adminUrl: config.ADMIN_URL,
    redis: fastify.redis,
    snapshotKey: `config:${config.CACHE_NAMESPACE}:runtime`,
    refreshMs: config.CONFIG_REFRESH_MS,
    retryMs: config.CONFIG_RETRY_MS,
    timeoutMs: 2000,
    envStepDelayMs: config.PROCESSOR_STEP_DELAY_MS,
    log: fastify.log,
  });
  fastify.decorate('runtimeConfig', settings);
  fastify.addHook('onReady', () => settings.start());
  fastify.addHook('preClose', async () => settings.stop());
  await fastify.register(eventsForService, {
    config,
    settings,
    // The processor (section 4) wakes when a step it has just been given falls due.
    onStepScheduled: (ms) => fastify.processor?.wakeIn(ms),
    ...(eventsUserForSource ? { userForSource: eventsUserForSource } : {}),
  });
  await fastify.register(openApi, { title: 'Payments API', prefix: '/payments' });
  await fastify.register(accessToken, { ...(publicKey ? { publicKey } : { jwksUrl: config.AUTH_JWKS_URL }), redis: fastify.redis });

  // 2. application context
  const ctx: PaymentsContext = {
    db: fastify.db,
    cache: createCache({ redis: fastify.redis, namespace: config.CACHE_NAMESPACE, logger: fastify.log }),
    config,
    settings,
    log: fastify.log,
  };

  // 3. routes, all under /payments (the gateway maps /api/payments/* here)
  await fastify.register(scheduleRoutes, { ctx, prefix: '/payments/schedules' });
  await fastify.register(paymentRoutes, { ctx, prefix: '/payments' });

  // 4. the simulated processor: started once the app is ready, stopped before clients close
  fastify.decorate('processor', undefined);
  if (config.PROCESSOR_ENABLED) {
    fastify.addHook('onReady', async () => {
      fastify.processor = startProcessorWorker(ctx);
    });
    fastify.addHook('preClose', async () => {
      await fastify.processor?.stop();
    });
  }

  // 5. the scheduler of scheduled/recurring payments (safe on every replica: SKIP LOCKED claims)
  fastify.decorate('scheduler', undefined);
  if (config.SCHEDULER_ENABLED) {
    fastify.addHook('onReady', async () => {
      fastify.scheduler = startScheduler(ctx, config.SCHEDULER_INTERVAL_MS);
    });
    fastify.addHook('preClose', async () => {
      await fastify.scheduler?.stop();
    });
  }
};

export default app;
