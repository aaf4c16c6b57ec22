// payments and payment_transactions access.
import { and, asc, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from '@bank/kit/uuid';
import { payments, paymentTransactions } from '../db/schema.ts';
import type { PaymentStatus } from '../domain/status.ts';
import { PgDialect } from 'drizzle-orm/pg-core';
import { clientOf, dateOf } from '@bank/kit/drizzle-client';
import type { DbOrTx, Tx } from './tx.ts';

export type PaymentRow = typeof payments.$inferSelect;
export type TransactionRow = typeof paymentTransactions.$inferSelect;

/** The API shape of a payment (edge contract). */
export const publicPayment = (p: PaymentRow) => ({
  id: p.id,
  senderId: p.senderId,
  recipientId: p.recipientId,
  recipientEmail: p.recipientEmail,
  amount: p.amount,
  currency: p.currency,
  type: p.type,
  description: p.description,
  status: p.status,
  failureReason: p.failureReason,
  scheduleId: p.scheduleId,
  occurrenceIndex: p.occurrenceIndex,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});
export type PublicPayment = ReturnType<typeof publicPayment>;

export const publicTransaction = (t: TransactionRow) => ({
  id: t.id,
  fromStatus: t.fromStatus,
  toStatus: t.toStatus,
  reason: t.reason,
  createdAt: t.createdAt.toISOString(),
});

/** The row insertPayment writes for these fields when created (and updated) at `at` — what it returns. */
export function newPaymentRow(fields: Omit<typeof payments.$inferInsert, 'status'>, at: Date): PaymentRow {
  return {
    id: fields.id,
    senderId: fields.senderId,
    recipientId: fields.recipientId,
    recipientEmail: fields.recipientEmail,
    amount: fields.amount,
    currency: fields.currency,
    type: fields.type,
    description: fields.description ?? null,
    status: 'pending',
    failureReason: fields.failureReason ?? null,
    scheduleId: fields.scheduleId ?? null,
    occurrenceIndex: fields.occurrenceIndex ?? null,
    nextStepAt: fields.nextStepAt ?? null,
    traceContext: fields.traceContext ?? null,
    createdAt: at,
    updatedAt: at,
  };
}

/** The idempotent response insertPayment records in its statement (the create path). */
export interface RecordedResponse {
  senderId: string;
  key: string;
  statusCode: number;
  response: unknown;
}

// The statement's own part ($1–$19); the created event's insert (@bank/events'
// outboxInsertStatement) follows as a third WITH, its parameters numbered from $20.
const INSERT_PAYMENT_PARAMS = 19;
const insertPaymentText = (createdEvent: string) => `
  with first_history_row as (
    insert into payment_transactions (id, payment_id, from_status, to_status, reason, created_at)
    values ($1::uuid, $2::uuid, null, 'pending', 'created', coalesce($15::timestamptz, now()))
  ), recorded_response as (
    update idempotency_keys set status_code = $17::int, response = $18::jsonb, payment_id = $2::uuid
     where $17::int is not null and sender_id = $19::uuid and key = $16::text
  ), created_event as (${createdEvent})
  insert into payments (id, sender_id, recipient_id, recipient_email, amount, currency, type, description, status,
                        failure_reason, schedule_id, occurrence_index, next_step_at, trace_context, created_at, updated_at)
  values ($2::uuid, $3::uuid, $4::uuid, $5::text, $6::bigint, $7::text, $8::text, $9::text, 'pending',
          $10::text, $11::uuid, $12::int, $13::timestamptz, $14::jsonb, coalesce($15::timestamptz, now()), coalesce($15::timestamptz, now()))
  returning *`;
/** Statement texts by the created event's text (one in practice: one event of one shape). */
const insertPaymentTexts = new Map<string, string>();
const dialect = new PgDialect();

/**
 * Inserts a payment (pending), its first history row (null → pending) and its created event
 * (`createdEvent`: @bank/events' outboxInsertStatement) in one statement — data-modifying WITHs;
 * the history row's foreign key is checked at the end of the statement — and, on the create path,
 * the idempotent response recorded for its key. The text is the same for every payment, so each
 * connection prepares it once (@bank/kit clientOf) instead of Drizzle building it (≈ 0.2 ms of CPU per
 * create, measured) and PostgreSQL parsing and planning it per create.
 */
export async function insertPayment(
  tx: Tx,
  row: Omit<typeof payments.$inferInsert, 'status'>,
  createdEvent: SQL,
  response?: RecordedResponse,
): Promise<PaymentRow> {
  const event = dialect.sqlToQuery(createdEvent);
  let text = insertPaymentTexts.get(event.sql);
  if (text === undefined) {
    text = insertPaymentText(event.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + INSERT_PAYMENT_PARAMS}`));
    if (insertPaymentTexts.size >= 16) insertPaymentTexts.clear();
    insertPaymentTexts.set(event.sql, text);
  }
  const at = row.createdAt ?? null;
  const params = [
    uuidv7(),
    row.id,
    row.senderId,
    row.recipientId,
    row.recipientEmail,
    row.amount,
    row.currency,
    row.type,
    row.description ?? null,
    row.failureReason ?? null,
    row.scheduleId ?? null,
    row.occurrenceIndex ?? null,
    row.nextStepAt ? row.nextStepAt.toISOString() : null,
    row.traceContext ? JSON.stringify(row.traceContext) : null,
    at ? at.toISOString() : null,
    response?.key ?? null,
    response?.statusCode ?? null,
    response ? JSON.stringify(response.response) : null,
    response?.senderId ?? null,
    ...event.params,
  ];
  const [created] = await clientOf(tx).unsafe<RawPaymentRow[]>(text, params as never[], { prepare: true });
  return paymentFromRaw(created!);
}

export async function insertTransaction(
  db: DbOrTx,
  t: { paymentId: string; fromStatus: PaymentStatus | null; toStatus: PaymentStatus; reason: string | null },
) {
  await db.insert(paymentTransactions).values({ id: uuidv7(), ...t });
}

export async function findPayment(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<PaymentRow | undefined> {
  const query = db.select().from(payments).where(eq(payments.id, id)).limit(1);
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  return row;
}

export async function transactionsOf(db: DbOrTx, paymentId: string): Promise<TransactionRow[]> {
  return db
    .select()
    .from(paymentTransactions)
    .where(eq(paymentTransactions.paymentId, paymentId))
    .orderBy(asc(paymentTransactions.createdAt), asc(paymentTransactions.id));
}

export async function updatePayment(
  db: DbOrTx,
  id: string,
  patch: Partial<Pick<PaymentRow, 'status' | 'failureReason' | 'nextStepAt' | 'traceContext'>>,
): Promise<PaymentRow> {
  const [row] = await db
    .update(payments)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(payments.id, id))
    .returning();
  return row!;
}

export interface PaymentFilter {
  /** Only payments where this user is sender or recipient (customers, vendors); absent = all (admins). */
  partyId?: string;
  /** Only payments this user sent (`senderId`) or received (`recipientId`). */
  senderId?: string;
  recipientId?: string;
  status?: PaymentStatus;
  currency?: string;
  from?: Date;
  to?: Date;
  minAmount?: number;
  maxAmount?: number;
  after?: { at: string; id: string };
  limit: number;
}

/** Newest first; keyset on (created_at, id); limit + 1 rows so the caller knows if more exist. */
export async function listPayments(db: DbOrTx, f: PaymentFilter): Promise<PaymentRow[]> {
  const where: SQL[] = [];
  if (f.partyId) where.push(or(eq(payments.senderId, f.partyId), eq(payments.recipientId, f.partyId))!);
  if (f.senderId) where.push(eq(payments.senderId, f.senderId));
  if (f.recipientId) where.push(eq(payments.recipientId, f.recipientId));
  if (f.status) where.push(eq(payments.status, f.status));
  if (f.currency) where.push(eq(payments.currency, f.currency));
  if (f.from) where.push(gte(payments.createdAt, f.from));
  if (f.to) where.push(lt(payments.createdAt, f.to));
  if (f.minAmount !== undefined) where.push(gte(payments.amount, f.minAmount));
  if (f.maxAmount !== undefined) where.push(lte(payments.amount, f.maxAmount));
  if (f.after) {
    const at = new Date(f.after.at);
    where.push(or(lt(payments.createdAt, at), and(eq(payments.createdAt, at), lt(payments.id, f.after.id)))!);
  }
  return db
    .select()
    .from(payments)
    .where(where.length ? and(...where) : sql`true`)
    .orderBy(desc(payments.createdAt), desc(payments.id))
    .limit(f.limit + 1);
}

/** Counts by status; counts and totals by currency (sums as strings: they may exceed 2^53). */
export async function paymentStats(db: DbOrTx) {
  const byStatus = await db
    .select({ status: payments.status, count: sql<number>`count(*)::int` })
    .from(payments)
    .groupBy(payments.status)
    .orderBy(payments.status);
  const byCurrency = await db
    .select({
      currency: payments.currency,
      count: sql<number>`count(*)::int`,
      amount: sql<string>`sum(${payments.amount})::text`,
      completedAmount: sql<string>`coalesce(sum(${payments.amount}) filter (where ${payments.status} = 'completed'), 0)::text`,
      completedCount: sql<number>`(count(*) filter (where ${payments.status} = 'completed'))::int`,
    })
    .from(payments)
    .groupBy(payments.currency)
    .orderBy(payments.currency);
  return { byStatus, byCurrency };
}

/**
 * Locks up to `limit` payments whose next step is due, oldest due first. SKIP LOCKED: rows another
 * replica (or the cancel route) holds are left to it, so two workers never take the same step.
 * No status filter: only pending/processing payments have a next step (constraint
 * payments_next_step_in_flight). With one, the planner — taking the status filter as selective,
 * the statistics cannot say it is always true here — sorted every row of payments_next_step_idx
 * (or, as a cached generic plan, scanned the table) instead of reading the first `limit` entries.
 */
export async function claimDuePayments(db: DbOrTx, limit: number): Promise<PaymentRow[]> {
  return dueStepsQuery(db, limit);
}

/** The statement claimDuePayments runs (test/processor-due-plan.test.ts explains it). */
export function dueStepsQuery(db: DbOrTx, limit: number) {
  return db
    .select()
    .from(payments)
    .where(lte(payments.nextStepAt, sql`now()`))
    .orderBy(asc(payments.nextStepAt))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/**
 * In how many ms the earliest next step falls due (negative: overdue), null when none is scheduled:
 * the first entry of payments_next_step_idx.
 */
export async function nextStepDueInMs(db: DbOrTx): Promise<number | null> {
  const [row] = await nextStepQuery(db);
  return row ? Number(row.inMs) : null;
}

/** The statement nextStepDueInMs runs (test/processor-due-plan.test.ts explains it). */
export function nextStepQuery(db: DbOrTx) {
  return db
    .select({ inMs: sql<number>`extract(epoch from ${payments.nextStepAt} - now()) * 1000` })
    .from(payments)
    .where(sql`${payments.nextStepAt} is not null`)
    .orderBy(asc(payments.nextStepAt))
    .limit(1);
}

/** One payment's status change, as changeStatuses writes it. */
export interface StatusChange {
  id: string;
  fromStatus: PaymentStatus;
  toStatus: PaymentStatus;
  /** The history row's reason. */
  reason: string;
  /** Set when given; the row keeps its own otherwise. */
  failureReason?: string | undefined;
  /** The next step falls due this long after the statement's now(); null for none. */
  nextStepInMs: number | null;
  /** The trace the payment's next change continues; the row keeps its own when absent. */
  traceContext?: NonNullable<PaymentRow['traceContext']> | undefined;
}

/** A payments row as PostgreSQL sends it through clientOf (@bank/kit): snake_case, bigint and timestamps as text. */
interface RawPaymentRow {
  id: string;
  sender_id: string;
  recipient_id: string;
  recipient_email: string;
  amount: string | number;
  currency: string;
  type: PaymentRow['type'];
  description: string | null;
  status: PaymentRow['status'];
  failure_reason: string | null;
  schedule_id: string | null;
  occurrence_index: number | null;
  next_step_at: unknown;
  trace_context: PaymentRow['traceContext'];
  created_at: unknown;
  updated_at: unknown;
}

/** What Drizzle's select of `payments` would return for the row (schema.ts: bigint in number mode, ms timestamps). */
export function paymentFromRaw(r: RawPaymentRow): PaymentRow {
  return {
    id: r.id,
    senderId: r.sender_id,
    recipientId: r.recipient_id,
    recipientEmail: r.recipient_email,
    amount: Number(r.amount),
    currency: r.currency,
    type: r.type,
    description: r.description,
    status: r.status,
    failureReason: r.failure_reason,
    scheduleId: r.schedule_id,
    occurrenceIndex: r.occurrence_index,
    nextStepAt: r.next_step_at === null ? null : dateOf(r.next_step_at),
    traceContext: r.trace_context,
    createdAt: dateOf(r.created_at),
    updatedAt: dateOf(r.updated_at),
  };
}

/**
 * The ids again as an array literal, for `payments.id = any(…)` beside the join to a JSON list:
 * PostgreSQL estimates any jsonb_to_recordset at 100 rows, and against that a sequential scan of
 * payments hash-joined looks cheaper than 100 primary-key probes up to tens of thousands of rows
 * (EXPLAIN on 30,000); with the ids as an index condition every plan reads the primary key.
 * UUIDs need no quoting in an array literal.
 */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * Several payments' status changes and their history rows in one statement (a processor batch
 * ran an UPDATE per target status, an INSERT of the history rows and an UPDATE of the trace
 * contexts): the changes as one JSON list, the history rows inserted from it by a data-modifying
 * WITH, the payments updated from it. The text is the same whatever the batch's size and mix (a
 * VALUES list made one statement per batch size), so each connection prepares it once (@bank/kit
 * clientOf). The updated rows.
 */
export async function changeStatuses(tx: Tx, changes: StatusChange[]): Promise<PaymentRow[]> {
  if (changes.length === 0) return [];
  const list = JSON.stringify(
    changes.map((c) => ({
      id: c.id,
      from_status: c.fromStatus,
      to_status: c.toStatus,
      reason: c.reason,
      failure_reason: c.failureReason ?? null,
      next_step_in_ms: c.nextStepInMs,
      trace_context: c.traceContext ?? null,
      history_id: uuidv7(),
    })),
  );
  const rows = await clientOf(tx)<RawPaymentRow[]>`
    with change as (
      select * from jsonb_to_recordset(${list}::jsonb)
        as c(id uuid, from_status text, to_status text, reason text, failure_reason text, next_step_in_ms double precision, trace_context jsonb, history_id uuid)
    ), history as (
      insert into payment_transactions (id, payment_id, from_status, to_status, reason)
      select history_id, id, from_status, to_status, reason from change
    )
    update payments
       set status = change.to_status,
           failure_reason = coalesce(change.failure_reason, payments.failure_reason),
           next_step_at = case when change.next_step_in_ms is null then null else now() + make_interval(secs => change.next_step_in_ms / 1000) end,
           trace_context = coalesce(change.trace_context, payments.trace_context),
           updated_at = ${new Date().toISOString()}::timestamptz
      from change
     where payments.id = change.id and payments.id = any(${uuidArray(changes.map((c) => c.id))}::uuid[])
    returning payments.*`;
  return rows.map(paymentFromRaw);
}

/**
 * The processor accepted created payments: each one's first step is due after `delayMs`, with the
 * trace context that step continues. One statement for all of them (an inbox batch's: the list as
 * JSON joined to the rows). A payment no longer pending (cancelled first) or already scheduled
 * (a redelivered event) is left alone.
 */
export async function scheduleFirstSteps(
  db: DbOrTx,
  accepted: ReadonlyArray<{ id: string; traceContext: PaymentRow['traceContext'] }>,
  delayMs: number,
): Promise<void> {
  if (accepted.length === 0) return;
  const list = JSON.stringify(accepted.map((a) => ({ id: a.id, trace_context: a.traceContext })));
  // Constant text: prepared once per connection (@bank/kit clientOf).
  await clientOf(db)`
    update payments set next_step_at = now() + make_interval(secs => ${delayMs / 1000}::double precision), trace_context = accepted.trace_context
      from jsonb_to_recordset(${list}::jsonb) as accepted(id uuid, trace_context jsonb)
     where payments.id = accepted.id and payments.id = any(${uuidArray(accepted.map((a) => a.id))}::uuid[])
       and payments.status = 'pending' and payments.next_step_at is null`;
}
