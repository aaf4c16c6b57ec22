// payments and payment_transactions access.
import { and, asc, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
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
  patch: Partial<Pick<PaymentRow, 'status' | 'failureReason' | 'nextStepAt'>>,
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
 * The processor's claim: one payment whose next step is due, locked; replicas skip each other's
 * rows (SKIP LOCKED) so each step runs once.
 */
export async function claimDuePayment(db: DbOrTx): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(lte(payments.nextStepAt, sql`now()`), or(eq(payments.status, 'pending'), eq(payments.status, 'processing'))))
    .orderBy(asc(payments.nextStepAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row;
}

/** The processor accepted a created payment: its first step is due after `delayMs`. */
export async function scheduleFirstStep(db: DbOrTx, id: string, delayMs: number): Promise<void> {
  await db
    .update(payments)
    .set({ nextStepAt: sql`now() + make_interval(secs => ${delayMs / 1000})` })
    .where(and(eq(payments.id, id), eq(payments.status, 'pending'), sql`${payments.nextStepAt} is null`));
}

export const nextStepAfter = (delayMs: number) => sql`now() + make_interval(secs => ${delayMs / 1000})`;
