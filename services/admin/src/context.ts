// What the use-cases need, assembled once in app.ts and passed explicitly (easy to test).
import type { FastifyBaseLogger } from 'fastify';
import type { EventsDecorator } from '@bank/events/plugin';
import type { CheckResult, Db } from '@bank/kit';
import type { AdminConfig } from './config.ts';

export type BrokerConnection = EventsDecorator['connection'];

export interface AdminContext {
  db: Db;
  config: AdminConfig;
  /** The operator connection (RabbitMQ user `admin`): reads every DLQ, publishes replays. */
  broker: BrokerConnection;
  /** The admin's own readiness checks (postgres, redis, rabbitmq). */
  ownChecks: () => Promise<Record<string, CheckResult>>;
  /** RabbitMQ user of each event source (the x-original-user-id of replayed events). */
  userForSource: (source: string) => string;
  log: FastifyBaseLogger;
}
