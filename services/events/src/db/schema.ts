// Outbox and inbox tables. Each service re-exports them from its own `src/db/schema.ts`
// (`export { outbox, inbox } from '@bank/events/db/schema'`) so drizzle-kit generates them into
// that service's migrations: the outbox row commits with the business rows, the inbox row with
// the handler's effects — in the service's own database.
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AnyEventEnvelope } from '../envelope.ts';

export const outbox = pgTable(
  'outbox',
  {
    // Identity = commit-independent insertion order; the relay publishes in this order.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id').notNull().unique(),
    aggregateType: text('aggregate_type').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The whole envelope, exactly as it is published. */
    payload: jsonb('payload').$type<AnyEventEnvelope>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /**
     * Set while a relay publishes the row (a lease, not a lock: no transaction stays open across
     * the broker's confirms). A relay that dies mid-batch leaves it to expire; then the row is
     * claimed again (consumers' inboxes drop the possible duplicate).
     */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (table) => [
    // The relay's scan: unsent rows in order, and "is there an older unsent row of this aggregate".
    index('outbox_unsent_idx').on(table.id).where(sql`sent_at is null`),
    index('outbox_unsent_aggregate_idx').on(table.aggregateType, table.aggregateId, table.id).where(sql`sent_at is null`),
    // Event replay by type and time range over the sent history.
    index('outbox_type_created_idx').on(table.eventType, table.createdAt),
  ],
);

export const inbox = pgTable(
  'inbox',
  {
    /** The consuming service (or a named consumer inside it). */
    consumer: text('consumer').notNull(),
    eventId: uuid('event_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.consumer, table.eventId] })],
);
