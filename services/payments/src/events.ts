// Payments on the hub: publishes through its outbox (relay as the `payments` RabbitMQ user) and
// consumes auth's user events (the recipients replica) and its own payments.payment.created
// (the simulated processor) through its inbox.
import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { EventEnvelope, EventHandlers, SqlExecutor } from '@bank/events';
import { eventsFastifyPlugin } from '@bank/events/plugin';
import { retentionFromConfig } from '@bank/events/retention';
import type { PaymentsConfig } from './config.ts';
import { APPLIED_KEYS, type RuntimeConfig } from './runtime-config.ts';
import { acceptCreatedPayment } from './processor/accept.ts';
import { idempotencyKeyRetention } from './repositories/idempotency.ts';
import { onUserDisabled, onUserRegistered, onUserUpdated } from './use-cases/user-replica.ts';

export interface PaymentsEventsOptions {
  config: PaymentsConfig;
  settings: RuntimeConfig;
  /** RabbitMQ user expected for each source (tests publish everything as `guest`). */
  userForSource?: (source: string) => string;
  /** A processor step was scheduled, due in `ms` (wakes this replica's worker then). */
  onStepScheduled?: (ms: number) => void;
}

const plugin: FastifyPluginAsync<PaymentsEventsOptions> = async (fastify, { config, settings, userForSource, onStepScheduled }) => {
  const handlers = {
    'auth.user.registered': onUserRegistered,
    'auth.user.updated': onUserUpdated,
    'auth.user.disabled': onUserDisabled,
    // A key applied here changed: fetch the current values from admin (a failure retries the event).
    'admin.config.updated': async (event: EventEnvelope<'admin.config.updated'>) => {
      if ((APPLIED_KEYS as readonly string[]).includes(event.data.key)) await settings.reload();
    },
    ...(config.PROCESSOR_ENABLED ? { 'payments.payment.created': acceptCreatedPayment(() => settings.stepDelayMs(), onStepScheduled) } : {}),
  } as unknown as EventHandlers<SqlExecutor>;
  await fastify.register(eventsFastifyPlugin, {
    service: 'payments',
    url: config.RABBITMQ_URL,
    databaseUrl: config.DATABASE_URL,
    retention: { ...retentionFromConfig(config), tasks: [idempotencyKeyRetention(config.IDEMPOTENCY_KEY_TTL_HOURS)] },
    ...(config.EVENTS_PREFIX ? { prefix: config.EVENTS_PREFIX } : {}),
    handlers,
    ...(userForSource ? { consumer: { userForSource } } : {}),
  });
};

export const eventsForService = fp(plugin, { name: 'payments-events', dependencies: ['kit-db'] });
