// payments_db tables. Money is an integer number of minor units (bigint) plus an ISO 4217 code:
// never a float or numeric. Timestamps have millisecond precision so they round-trip through
// JavaScript Dates and the keyset cursors exactly.
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

// Same literals as domain/status.ts (kept local so drizzle-kit loads this file without the domain).
export const PAYMENT_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export const PAYMENT_TYPES = ['instant', 'scheduled', 'recurring'] as const;

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    senderId: uuid('sender_id').notNull(),
    recipientId: uuid('recipient_id').notNull(),
    /** The recipient's email when the payment was made (a snapshot for display). */
    recipientEmail: text('recipient_email').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    type: text('type', { enum: PAYMENT_TYPES }).notNull(),
    description: text('description'),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull().default('pending'),
    failureReason: text('failure_reason'),
    /** When the simulated processor takes its next step; null when it has nothing to do. */
    nextStepAt: ts('next_step_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('payments_amount_range', sql`${t.amount} > 0 and ${t.amount} <= 1000000000000`),
    check('payments_currency_format', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('payments_not_to_self', sql`${t.senderId} <> ${t.recipientId}`),
    index('payments_sender_idx').on(t.senderId, t.createdAt, t.id),
    index('payments_recipient_idx').on(t.recipientId, t.createdAt, t.id),
    index('payments_created_idx').on(t.createdAt, t.id),
    index('payments_next_step_idx').on(t.nextStepAt).where(sql`${t.nextStepAt} is not null`),
  ],
);

/** One row per status change (creation included: from_status null → pending). */
export const paymentTransactions = pgTable(
  'payment_transactions',
  {
    id: uuid('id').primaryKey(),
    paymentId: uuid('payment_id').notNull().references(() => payments.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status', { enum: PAYMENT_STATUSES }),
    toStatus: text('to_status', { enum: PAYMENT_STATUSES }).notNull(),
    reason: text('reason'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('payment_transactions_payment_idx').on(t.paymentId, t.createdAt)],
);

/**
 * Idempotency-Key records: the unique (sender, key) row is inserted in the same transaction as
 * the payment, so concurrent duplicates serialise on it and exactly one payment exists.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    senderId: uuid('sender_id').notNull(),
    key: text('key').notNull(),
    /** SHA-256 of the canonical JSON request body: same key + another body → 422. */
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: jsonb('response'),
    paymentId: uuid('payment_id'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.senderId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** Local replica of auth's users, fed by auth.user.registered|updated|disabled events. */
export const knownUsers = pgTable(
  'known_users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: ['ADMIN', 'CUSTOMER', 'VENDOR'] }).notNull(),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    /** occurredAt of the last applied event: an older event arriving late changes nothing. */
    lastEventAt: ts('last_event_at').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('known_users_email_idx').on(t.email)],
);

// The transactional outbox and the inbox of the event hub live in payments_db too.
export { outbox, inbox } from '@bank/events/db/schema';
