// payments and payment_transactions access.
import { and, asc, desc, eq, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { payments, paymentTransactions } from '../db/schema.ts';
import type { PaymentStatus } from '../domain/status.ts';
import type { DbOrTx } from './tx.ts';

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

export async function insertPayment(db: DbOrTx, row: Omit<typeof payments.$inferInsert, 'status'>): Promise<PaymentRow> {
  const [created] = await db.insert(payments).values({ ...row, status: 'pending' }).returning();
  await insertTransaction(db, { paymentId: created!.id, fromStatus: null, toStatus: 'pending', reason: 'created' });
  return created!;
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

/** The same change to several payments in one statement; the updated rows. */
export async function updatePayments(
  db: DbOrTx,
  ids: string[],
  patch: Partial<Pick<PaymentRow, 'status' | 'failureReason' | 'nextStepAt'>>,
): Promise<PaymentRow[]> {
  if (ids.length === 0) return [];
  return db
    .update(payments)
    .set({ ...patch, updatedAt: new Date() })
    .where(inArray(payments.id, ids))
    .returning();
}

export async function insertTransactions(
  db: DbOrTx,
  rows: Array<{ paymentId: string; fromStatus: PaymentStatus | null; toStatus: PaymentStatus; reason: string | null }>,
) {
  if (rows.length === 0) return;
  await db.insert(paymentTransactions).values(rows.map((t) => ({ id: uuidv7(), ...t })));
}

/** Each payment's trace context in one statement (a processor batch: one step span per payment). */
export async function setTraceContexts(db: DbOrTx, rows: Array<{ id: string; traceContext: NonNullable<PaymentRow['traceContext']> }>): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.id}::uuid, ${JSON.stringify(r.traceContext)}::jsonb)`),
    sql`, `,
  );
  await db.execute(sql`update payments as p set trace_context = v.tc from (values ${values}) as v(id, tc) where p.id = v.id`);
}

/** The processor accepted a created payment: its first step is due after `delayMs`. */
export async function scheduleFirstStep(db: DbOrTx, id: string, delayMs: number, traceContext: PaymentRow['traceContext'] = null): Promise<void> {
  await db
    .update(payments)
    .set({ nextStepAt: sql`now() + make_interval(secs => ${delayMs / 1000})`, traceContext })
    .where(and(eq(payments.id, id), eq(payments.status, 'pending'), sql`${payments.nextStepAt} is null`));
}

export const nextStepAfter = (delayMs: number) => sql`now() + make_interval(secs => ${delayMs / 1000})`;
