// admin_db tables: the append-only audit log of every event on the hub, and the versioned
// system configuration (current value + full history).
import { sql } from 'drizzle-orm';
import { bigint, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per event, idempotent by event id. Append-only: a trigger (migration 0001) rejects
 * UPDATE, DELETE and TRUNCATE. Holds the whole envelope, so events can be replayed from here.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id').notNull(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    source: text('source').notNull(),
    /** data.userId when the event has one. */
    userId: uuid('user_id'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
    correlationId: text('correlation_id').notNull(),
    causationId: text('causation_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('audit_log_event_id_key').on(t.eventId),
    index('audit_log_occurred_idx').on(t.occurredAt, t.id),
    index('audit_log_type_idx').on(t.type, t.occurredAt),
    index('audit_log_source_idx').on(t.source, t.occurredAt),
    index('audit_log_user_idx').on(t.userId, t.occurredAt).where(sql`user_id is not null`),
  ],
);

export const configEntries = pgTable('config_entries', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  version: integer('version').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

export const configHistory = pgTable(
  'config_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    value: jsonb('value').$type<unknown>().notNull(),
    version: integer('version').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [uniqueIndex('config_history_key_version_key').on(t.key, t.version)],
);

/**
 * Front-end measurements (DESIGN §10: remote load times, API timings, cache hits, web vitals),
 * posted in batches by signed-in users' browsers; summarised for the Monitoring page.
 */
export const analyticsEvents = pgTable(
  'analytics_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    value: doublePrecision('value').notNull(),
    tags: jsonb('tags').$type<Record<string, string>>().notNull(),
    page: text('page'),
    userId: uuid('user_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('analytics_events_name_idx').on(t.name, t.occurredAt), index('analytics_events_occurred_idx').on(t.occurredAt)],
);

// Events out (outbox) and in (inbox) commit with the admin rows, in admin_db.
export { outbox, inbox } from '@bank/events/db/schema';
