// @bank/events — the event hub. See README.md.
export * from './contracts.ts';
export * from './envelope.ts';
export * from './names.ts';
export * from './backoff.ts';
export * from './topology.ts';
export * from './connection.ts';
export * from './message.ts';
export * from './authorization.ts';
export * from './metrics.ts';
export * from './tracing.ts';
export * from './outbox.ts';
export * from './relay.ts';
export * from './consumer.ts';
export * from './dead-letters.ts';
export * from './replay.ts';
export * from './provision.ts';
export type { SqlExecutor, TransactionalDb, Sql } from './db.ts';
export { outbox, inbox } from './db/schema.ts';
