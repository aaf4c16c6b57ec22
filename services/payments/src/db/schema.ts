// payments_db tables. Money is an integer number of minor units (bigint) plus an ISO 4217 code:
// never a float or numeric. Timestamps have millisecond precision so they round-trip through
// JavaScript Dates and the keyset cursors exactly.
import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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
    /** The schedule this payment is an occurrence of (null for a one-off payment). */
    scheduleId: uuid('schedule_id'),
    /** 0-based occurrence number within its schedule: (schedule_id, occurrence_index) is unique. */
    occurrenceIndex: integer('occurrence_index'),
    /** When the simulated processor takes its next step; null when it has nothing to do. */
    nextStepAt: ts('next_step_at'),
    /**
     * W3C trace context (traceparent/tracestate) of the payment's last change: the processor's
     * next step continues that trace, so one trace covers creation to settlement. Never personal data.
     */
    traceContext: jsonb('trace_context').$type<{ traceparent?: string; tracestate?: string }>(),
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
    // Only a payment still in the processor's hands has a next step (every transition to a final
    // status clears it): the processor's due query relies on it and needs no status filter.
    check('payments_next_step_in_flight', sql`${t.nextStepAt} is null or ${t.status} in ('pending', 'processing')`),
    // Exactly once: an occurrence can never become two payments, whatever the scheduler does.
    uniqueIndex('payments_schedule_occurrence_uq').on(t.scheduleId, t.occurrenceIndex),
    check('payments_schedule_occurrence_pair', sql`(${t.scheduleId} is null) = (${t.occurrenceIndex} is null)`),
  ],
);

// Same literals as domain/schedule.ts.
export const SCHEDULE_KINDS = ['scheduled', 'recurring'] as const;
export const SCHEDULE_FREQUENCIES = ['weekly', 'monthly'] as const;
export const SCHEDULE_STATUSES = ['active', 'paused', 'cancelled', 'completed'] as const;

/**
 * Scheduled (one date) and recurring (weekly/monthly) payments. The scheduler claims due rows
 * (`status = 'active' and next_run_at <= now()`, FOR UPDATE SKIP LOCKED), creates occurrence
 * `next_index` as an ordinary payment and advances `next_index`/`next_run_at` in the same
 * transaction.
 */
export const paymentSchedules = pgTable(
  'payment_schedules',
  {
    id: uuid('id').primaryKey(),
    senderId: uuid('sender_id').notNull(),
    recipientId: uuid('recipient_id').notNull(),
    recipientEmail: text('recipient_email').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    description: text('description'),
    kind: text('kind', { enum: SCHEDULE_KINDS }).notNull(),
    frequency: text('frequency', { enum: SCHEDULE_FREQUENCIES }),
    /** IANA zone of the sender: dates below are local to it; each occurrence is due at local midnight. */
    timeZone: text('time_zone').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    maxCount: integer('max_count'),
    status: text('status', { enum: SCHEDULE_STATUSES }).notNull().default('active'),
    /** Why the system changed the status (e.g. 'sender-disabled'); null when the sender did. */
    statusReason: text('status_reason'),
    /** The next occurrence to create (= number of occurrences created or skipped so far). */
    nextIndex: integer('next_index').notNull().default(0),
    /** When occurrence next_index is due; null once nothing is left to run. */
    nextRunAt: ts('next_run_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('payment_schedules_amount_range', sql`${t.amount} > 0 and ${t.amount} <= 1000000000000`),
    check('payment_schedules_currency_format', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('payment_schedules_not_to_self', sql`${t.senderId} <> ${t.recipientId}`),
    check('payment_schedules_recurring_frequency', sql`(${t.kind} = 'recurring') = (${t.frequency} is not null)`),
    index('payment_schedules_sender_idx').on(t.senderId, t.createdAt, t.id),
    index('payment_schedules_created_idx').on(t.createdAt, t.id),
    index('payment_schedules_due_idx').on(t.nextRunAt).where(sql`${t.status} = 'active'`),
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
